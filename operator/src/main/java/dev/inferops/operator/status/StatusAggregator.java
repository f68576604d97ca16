package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ObservedState;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Derives the whole status of an InferenceService from what the informers show. Pure: the same
 * inputs give an equal status, so an unchanged cluster causes no status write.
 */
public final class StatusAggregator {

  private StatusAggregator() {}

  /**
   * The status of what the informers show for {@code intent}; {@code rollout} is the rollout
   * strategy's part: its decision of this reconcile, or its last one as the status recorded it.
   */
  public static InferenceServiceStatus aggregate(
      InferenceService is, Intent intent, ObservedState observed, StatusPart rollout, Instant now) {
    StatusDraft draft = new StatusDraft(is, intent, observed, now);
    // The rollout first: which revision it follows decides what the parts after it count.
    rollout.addTo(draft);
    ReplicasStatusPart.addTo(draft);
    ProgressingStatusPart.addTo(draft);
    DegradedStatusPart.addTo(draft);
    ReadyStatusPart.addTo(draft);
    return draft.build();
  }

  /** The status with Degraded set to the reconcile error, for when the workflow failed. */
  public static InferenceServiceStatus withError(
      InferenceServiceStatus status, InferenceService is, String error, Instant now) {
    List<Condition> previous = is.getStatus() == null ? List.of() : is.getStatus().getConditions();
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> Conditions.DEGRADED.equals(c.getType()));
    conditions.add(
        Conditions.condition(
            previous,
            Conditions.DEGRADED,
            true,
            ConditionReason.ReconcileFailed,
            error,
            is.getMetadata().getGeneration(),
            now));
    status.setConditions(conditions);
    status.setPhase(Phase.Degraded);
    return status;
  }
}
