package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.Optional;

/** The Deployment {@code <name>} of workload Deployment, rolling or blue-green. */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.MANAGED_SELECTOR))
public class DeploymentDependentResource extends WorkloadDependentResource<Deployment> {

  public DeploymentDependentResource() {
    super(Deployment.class, WorkloadKind.Deployment);
  }

  @Override
  protected Deployment desired(InferenceService primary, Context<InferenceService> context) {
    return build(primary, ModelConfigMap.hash(primary, context));
  }

  /** The desired Deployment; {@code modelHash} as for {@link PodTemplates#desired}. */
  public static Deployment build(InferenceService is, String modelHash) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.workloadName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.podLabels(is, WorkloadKind.Deployment))
        .endMetadata()
        .withNewSpec()
        .withReplicas(EffectiveSpec.replicas(is))
        .withNewSelector()
        .withMatchLabels(ResourceNaming.workloadSelector(is, WorkloadKind.Deployment))
        .endSelector()
        .withStrategy(strategy(is))
        .withTemplate(PodTemplates.desired(is, WorkloadKind.Deployment, modelHash))
        .endSpec()
        .build();
  }

  static DeploymentStrategy strategy(InferenceService is) {
    var builder = new DeploymentStrategyBuilder().withType("RollingUpdate");
    if (EffectiveSpec.strategy(is) == StrategyType.BlueGreen) {
      // All new pods come up next to all old ones; old pods go only once new ones are available.
      return builder
          .withNewRollingUpdate()
          .withMaxSurge(new IntOrString("100%"))
          .withMaxUnavailable(new IntOrString(0))
          .endRollingUpdate()
          .build();
    }
    Optional<DeploymentStrategySpec> spec =
        Optional.ofNullable(EffectiveSpec.spec(is).getStrategy());
    IntOrString maxSurge = spec.map(DeploymentStrategySpec::getMaxSurge).orElse(null);
    IntOrString maxUnavailable = spec.map(DeploymentStrategySpec::getMaxUnavailable).orElse(null);
    if (maxSurge != null || maxUnavailable != null) {
      builder
          .withNewRollingUpdate()
          .withMaxSurge(maxSurge)
          .withMaxUnavailable(maxUnavailable)
          .endRollingUpdate();
    }
    return builder.build();
  }

  /** Reconcile precondition: keep the Deployment while wanted or while a switch needs it. */
  public static class KeepDeployment extends KeepCondition<Deployment> {
    public KeepDeployment() {
      super(WorkloadKind.Deployment);
    }
  }
}
