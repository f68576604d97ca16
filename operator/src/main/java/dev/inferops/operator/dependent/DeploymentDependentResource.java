package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Runner;
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
    super(Deployment.class, Runner.ROLLING_DEPLOYMENT, events);
  }

  @Override
  protected Deployment desired(InferenceService primary, Context<InferenceService> context) {
    Plan plan = Plan.of(context);
    return build(primary, plan.intent().template(), plan.rollout().deploymentTemplate());
  }

  /** The desired Deployment running {@code template}, the spec's pod template. */
  public static Deployment build(InferenceService is, PodTemplateSpec template) {
    return build(is, template, Optional.empty());
  }

  /**
   * The desired Deployment, with {@code rolledBack} instead of the spec's {@code template} after an
   * automatic rollback.
   */
  public static Deployment build(
      InferenceService is, PodTemplateSpec template, Optional<PodTemplateSpec> rolledBack) {
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
        .withStrategy(updateStrategy(is))
        .withTemplate(rolledBack.orElse(template))
        .endSpec()
        .build();
  }

  /** A rolling update; blue-green uses revision Deployments instead of this one. */
  static DeploymentStrategy updateStrategy(InferenceService is) {
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
      super(Runner.ROLLING_DEPLOYMENT);
    }
  }
}
