package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.BlueGreenPlanner;
import dev.inferops.operator.rollout.BlueGreenRollout.Decision;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.PodTemplates;
import dev.inferops.operator.workload.WorkloadSwitch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployments {@code <name>-<revision>} of a blue-green InferenceService, one per pod-template
 * revision, at the replicas {@link dev.inferops.operator.rollout.BlueGreenRollout} decided. A
 * revision's template never changes, so its Deployment never rolls; versions change by the
 * Services' selectors.
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
      Decision decision,
      Map<String, Deployment> actual,
      Context<InferenceService> context) {
    return build(
        primary,
        ModelConfigMap.hash(primary, context),
        decision.replicas(),
        actual,
        BlueGreenPlanner.revisionSnapshots(
            primary, context.getSecondaryResources(ControllerRevision.class)));
  }

  /**
   * The revision Deployments: the spec's revision from the spec, older ones from their own template
   * as it is or, when someone deleted one, from its snapshot; each at its decided replicas.
   */
  public static Map<ResourceID, Deployment> build(
      InferenceService is,
      String modelHash,
      Map<String, Integer> replicas,
      Map<String, Deployment> actualByRevision,
      Map<String, ControllerRevision> snapshots) {
    String desired = BlueGreenPlanner.desiredRevision(is, modelHash);
    Map<ResourceID, Deployment> result = new LinkedHashMap<>();
    replicas.forEach(
        (revision, count) -> {
          PodTemplateSpec template;
          if (revision.equals(desired)) {
            template = template(is, modelHash, revision);
          } else if (actualByRevision.containsKey(revision)) {
            template = actualByRevision.get(revision).getSpec().getTemplate();
          } else if (snapshots.containsKey(revision)) {
            template = BlueGreenPlanner.template(snapshots.get(revision));
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

  /** The spec's pod template as revision {@code revision} runs it. */
  static PodTemplateSpec template(InferenceService is, String modelHash, String revision) {
    PodTemplateSpec template = PodTemplates.desired(is, WorkloadKind.Deployment, modelHash);
    template.getMetadata().getLabels().put(ResourceNaming.LABEL_REVISION, revision);
    return template;
  }

  /**
   * Keep the revisions (Deployments and snapshots) while blue-green is wanted, or while the wanted
   * workload comes up.
   */
  public static class KeepRevisions implements Condition<HasMetadata, InferenceService> {
    @Override
    public boolean isMet(
        DependentResource<HasMetadata, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      if (EffectiveSpec.blueGreen(primary)) {
        return true;
      }
      List<Deployment> revisions =
          BlueGreenPlanner.revisionDeployments(
              primary, context.getSecondaryResources(Deployment.class));
      return !revisions.isEmpty()
          && !WorkloadSwitch.wantedKindReady(
              primary,
              ModelConfigMap.hash(primary, context),
              context.getSecondaryResources(Pod.class));
    }
  }
}
