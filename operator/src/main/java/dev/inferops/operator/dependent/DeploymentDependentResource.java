package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.RollingUpdatePlanner;
import dev.inferops.operator.rollout.RollingUpdateRollout;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The Deployment {@code <name>} of workload Deployment with a rolling update. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ResourceNaming.ROLLING_SELECTOR,
            itemStore = ForeignManagedFieldsStore.Deployments.class))
public class DeploymentDependentResource extends WorkloadDependentResource<Deployment> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "deployment";

  public DeploymentDependentResource(EventRecorder events) {
    super(Deployment.class, WorkloadKind.Deployment, events);
  }

  @Override
  protected Deployment desired(InferenceService primary, Context<InferenceService> context) {
    return build(
        primary,
        ModelConfigMap.hash(primary, context),
        RollingUpdatePlanner.decision(context).flatMap(RollingUpdateRollout.Decision::template));
  }

  /** The desired Deployment; {@code modelHash} as for {@link PodTemplates#desired}. */
  public static Deployment build(InferenceService is, String modelHash) {
    return build(is, modelHash, Optional.empty());
  }

  /**
   * The desired Deployment, with {@code rolledBack} instead of the spec's pod template after an
   * automatic rollback ({@link RollingUpdateRollout}).
   */
  public static Deployment build(
      InferenceService is, String modelHash, Optional<PodTemplateSpec> rolledBack) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.workloadName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.podLabels(is, WorkloadKind.Deployment))
        .endMetadata()
        .withNewSpec()
        .withReplicas(EffectiveSpec.replicas(is))
        .withProgressDeadlineSeconds(EffectiveSpec.progressDeadlineSeconds(is))
        .withRevisionHistoryLimit(EffectiveSpec.revisionHistoryLimit(is))
        .withNewSelector()
        .withMatchLabels(ResourceNaming.workloadSelector(is, WorkloadKind.Deployment))
        .endSelector()
        .withStrategy(strategy(is))
        .withTemplate(
            rolledBack.orElseGet(
                () -> PodTemplates.desired(is, WorkloadKind.Deployment, modelHash)))
        .endSpec()
        .build();
  }

  /** A rolling update; blue-green uses revision Deployments instead of this one. */
  static DeploymentStrategy strategy(InferenceService is) {
    var builder = new DeploymentStrategyBuilder().withType("RollingUpdate");
    EffectiveSpec.rollingUpdate(is)
        .ifPresent(
            rolling ->
                builder
                    .withNewRollingUpdate()
                    .withMaxSurge(rolling.maxSurge())
                    .withMaxUnavailable(rolling.maxUnavailable())
                    .endRollingUpdate());
    return builder.build();
  }

  /** Reconcile precondition: keep the Deployment while wanted or while a switch needs it. */
  public static class KeepDeployment extends KeepCondition<Deployment> {
    public KeepDeployment() {
      super(WorkloadKind.Deployment);
    }
  }
}
