package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.WorkloadSwitch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * One of the three workload kinds. While the InferenceService switches away from this kind its
 * objects are left untouched; its reconcile precondition turns false, and the workflow deletes
 * them, once the wanted kind is ready.
 */
public abstract class WorkloadDependentResource<R extends HasMetadata>
    extends OwnedDependentResource<R> {

  private final WorkloadKind kind;

  protected WorkloadDependentResource(
      Class<R> resourceType, WorkloadKind kind, EventRecorder events) {
    super(resourceType, events);
    this.kind = kind;
  }

  @Override
  public ReconcileResult<R> reconcile(InferenceService primary, Context<InferenceService> context) {
    if (EffectiveSpec.workload(primary) != kind
        || (kind == WorkloadKind.Deployment && EffectiveSpec.blueGreen(primary))) {
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(primary, context);
  }

  /** Reconcile precondition shared by the three kinds. */
  public abstract static class KeepCondition<R> implements Condition<R, InferenceService> {
    private final WorkloadKind kind;

    protected KeepCondition(WorkloadKind kind) {
      this.kind = kind;
    }

    @Override
    public boolean isMet(
        DependentResource<R, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return WorkloadSwitch.keep(kind, primary, context);
    }
  }
}
