package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The PodDisruptionBudget {@code <name>} over every pod of the InferenceService, so a node drain
 * takes at most maxUnavailable of them at once; only while replicas > 1, as with one replica it
 * would block every drain.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.MANAGED_SELECTOR))
public class PodDisruptionBudgetDependentResource
    extends OwnedDependentResource<PodDisruptionBudget> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "disruption-budget";

  public PodDisruptionBudgetDependentResource(EventRecorder events) {
    super(PodDisruptionBudget.class, events);
  }

  @Override
  protected PodDisruptionBudget desired(
      InferenceService primary, Context<InferenceService> context) {
    return build(primary);
  }

  public static PodDisruptionBudget build(InferenceService is) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.disruptionBudgetName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.commonLabels(is))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(EffectiveSpec.disruptionBudgetMaxUnavailable(is)))
        .withNewSelector()
        .withMatchLabels(ResourceNaming.serviceSelector(is))
        .endSelector()
        .endSpec()
        .build();
  }

  /** Reconcile precondition: enabled and more than one replica. */
  public static class WantedCondition implements Condition<PodDisruptionBudget, InferenceService> {
    @Override
    public boolean isMet(
        DependentResource<PodDisruptionBudget, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return EffectiveSpec.disruptionBudgetWanted(primary);
    }
  }
}
