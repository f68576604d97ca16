package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Revisions;
import dev.inferops.operator.workload.Runner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Deployments {@code <name>-<revision>} of a blue-green InferenceService, one per pod-template
 * revision, at the replicas the reconcile's {@link Plan} gives them. A revision's template never
 * changes, so its Deployment never rolls; versions change by the Services' selectors.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.REVISION_SELECTOR))
public class BlueGreenDeploymentsDependentResource extends RevisionsDependentResource<Deployment> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "bluegreen-deployments";

  public BlueGreenDeploymentsDependentResource(EventRecorder events) {
    super(Deployment.class, events);
  }

  @Override
  protected Map<ResourceID, Deployment> desired(
      InferenceService primary,
      Plan plan,
      Map<String, Deployment> actual,
      Context<InferenceService> context) {
    return build(
        primary,
        plan.intent(),
        plan.rollout().revisionReplicas(),
        actual,
        Revisions.revisionSnapshots(
            primary, context.getSecondaryResources(ControllerRevision.class)));
  }

  /**
   * The revision Deployments: the spec's revision from the spec, older ones from their own template
   * as it is or, when someone deleted one, from its snapshot; each at its decided replicas.
   */
  public static Map<ResourceID, Deployment> build(
      InferenceService is,
      Intent intent,
      Map<String, Integer> replicas,
      Map<String, Deployment> actualByRevision,
      Map<String, ControllerRevision> snapshots) {
    String desired = intent.revision();
    Map<ResourceID, Deployment> result = new LinkedHashMap<>();
    replicas.forEach(
        (revision, count) -> {
          PodTemplateSpec template;
          if (revision.equals(desired)) {
            template = template(intent);
          } else if (actualByRevision.containsKey(revision)) {
            template = actualByRevision.get(revision).getSpec().getTemplate();
          } else if (snapshots.containsKey(revision)) {
            template = Revisions.template(snapshots.get(revision));
          } else {
            return;
          }
          Deployment d =
              new DeploymentBuilder()
                  .withMetadata(metadata(is, revision))
                  .withNewSpec()
                  .withReplicas(count)
                  .withRevisionHistoryLimit(0)
                  .withNewSelector()
                  .withMatchLabels(ResourceNaming.revisionSelector(is, revision))
                  .endSelector()
                  .withTemplate(template)
                  .endSpec()
                  .build();
          result.put(ResourceID.fromResource(d), d);
        });
    return result;
  }

  /** The spec's pod template as its revision runs it. */
  static PodTemplateSpec template(Intent intent) {
    PodTemplateSpec template = intent.template();
    template.getMetadata().getLabels().put(ResourceNaming.LABEL_REVISION, intent.revision());
    return template;
  }

  /** Reconcile precondition: keep the revisions while they run or a switch needs them. */
  public static class KeepRevisions extends KeepCondition<HasMetadata> {
    public KeepRevisions() {
      super(Runner.REVISION_DEPLOYMENTS);
    }
  }
}
