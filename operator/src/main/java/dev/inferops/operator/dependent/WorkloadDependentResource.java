package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.workload.Runner;
import dev.inferops.operator.workload.WorkloadSwitch.Presence;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * Objects of one {@link Runner}, treated as the reconcile's {@link Plan} says: applied while it
 * runs the pods, left untouched while a switch away from it needs them, deleted after. The plan
 * decides once; JOSDK asks twice, through the reconcile precondition (delete or not) and {@link
 * #reconcile} (apply or leave). JOSDK also builds the desired object to find the one it deletes;
 * only its name counts then.
 */
public abstract class WorkloadDependentResource<R extends HasMetadata>
    extends OwnedDependentResource<R> {

  private final Runner runner;

  protected WorkloadDependentResource(Class<R> resourceType, Runner runner, EventRecorder events) {
    super(resourceType, events);
    this.runner = runner;
  }

  @Override
  public ReconcileResult<R> reconcile(InferenceService primary, Context<InferenceService> context) {
    if (Plan.of(context).presence(runner) != Presence.RUN) {
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(primary, context);
  }

  /** Reconcile precondition: keep the runner's objects while it runs or a switch needs them. */
  public abstract static class KeepCondition<R> implements Condition<R, InferenceService> {
    private final Runner runner;

    protected KeepCondition(Runner runner) {
      this.runner = runner;
    }

    @Override
    public boolean isMet(
        DependentResource<R, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return Plan.of(context).presence(runner) != Presence.REMOVE;
    }
  }
}
