package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.ControllerRevisionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ControllerRevisions {@code <name>-<revision>} of a blue-green InferenceService: the pod
 * template of every revision it keeps, as StatefulSets keep theirs. Only the spec's revision can be
 * rebuilt from the spec, so a revision Deployment someone deleted (the active one, mid-rollout) is
 * recreated from its snapshot here instead of being forgotten. A snapshot never changes; it goes
 * when its revision leaves the history.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.REVISION_SELECTOR))
public class ControllerRevisionsDependentResource
    extends RevisionsDependentResource<ControllerRevision> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "controller-revisions";

  public ControllerRevisionsDependentResource(EventRecorder events) {
    super(ControllerRevision.class, events);
  }

  @Override
  protected Map<ResourceID, ControllerRevision> desired(
      InferenceService primary,
      Plan plan,
      Map<String, ControllerRevision> actual,
      Context<InferenceService> context) {
    return build(
        primary,
        plan.intent(),
        plan.rollout().revisionReplicas().keySet(),
        actual,
        Revisions.byRevision(
            Revisions.revisionDeployments(
                primary, context.getSecondaryResources(Deployment.class))));
  }

  /**
   * One snapshot per kept revision: an existing one as it is, a new one from the revision
   * Deployment's template (the spec's revision from the spec), numbered after the newest.
   */
  public static Map<ResourceID, ControllerRevision> build(
      InferenceService is,
      Intent intent,
      Collection<String> revisions,
      Map<String, ControllerRevision> existing,
      Map<String, Deployment> deployments) {
    String desired = intent.revision();
    long next =
        existing.values().stream()
                .mapToLong(r -> Optional.ofNullable(r.getRevision()).orElse(0L))
                .max()
                .orElse(0L)
            + 1;
    Map<ResourceID, ControllerRevision> result = new LinkedHashMap<>();
    for (String revision : revisions) {
      ControllerRevision snapshot;
      if (existing.containsKey(revision)) {
        ControllerRevision actual = existing.get(revision);
        snapshot = snapshot(is, revision, actual.getRevision(), actual.getData());
      } else if (revision.equals(desired)) {
        snapshot =
            snapshot(is, revision, next++, BlueGreenDeploymentsDependentResource.template(intent));
      } else if (deployments.containsKey(revision)) {
        snapshot =
            snapshot(is, revision, next++, deployments.get(revision).getSpec().getTemplate());
      } else {
        continue;
      }
      result.put(ResourceID.fromResource(snapshot), snapshot);
    }
    return result;
  }

  private static ControllerRevision snapshot(
      InferenceService is, String revision, Long number, Object template) {
    return new ControllerRevisionBuilder()
        .withMetadata(metadata(is, revision))
        .withRevision(number)
        .withData(Revisions.SERIALIZATION.convertValue(template, Map.class))
        .build();
  }
}
