package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import dev.inferops.operator.workload.WorkloadSwitch.Presence;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;

/**
 * What an InferenceService does in one reconcile: its intent, its rollout strategy's decision and
 * what becomes of each runner's objects. Decided once, before the workflow, and kept in the
 * reconcile context, where every dependent reads it; the status and the reconciler get it directly.
 */
public record Plan(Intent intent, Rollout rollout, Map<Runner, Presence> presence) {

  public Plan {
    presence = Map.copyOf(presence);
  }

  /** The plan of the reconcile running the workflow. */
  public static Plan of(Context<InferenceService> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .get(Plan.class, Plan.class)
        .orElseThrow(
            () ->
                new IllegalStateException("no plan: the reconciler makes it before the workflow"));
  }

  /** Keeps this plan in the reconcile context for the workflow's dependents. */
  public Plan keepIn(Context<InferenceService> context) {
    context.managedWorkflowAndDependentResourceContext().put(Plan.class, this);
    return this;
  }

  public Presence presence(Runner runner) {
    return presence.get(runner);
  }
}
