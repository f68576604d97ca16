package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.status.ConditionReason;
import dev.inferops.operator.status.Conditions;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.PodTemplates;
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

  /** The status, keeping the last rollout status of a blue-green or rolling InferenceService. */
  public static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, Instant now) {
    RolloutStatus rollout =
        EffectiveSpec.blueGreen(is) && is.getStatus() != null ? is.getStatus().getRollout() : null;
    return aggregate(is, observed, rollout, now);
  }

  /** As below, keeping a rolling Deployment's last {@code status.rollingUpdate}. */
  public static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, RolloutStatus rollout, Instant now) {
    RollingUpdateStatus rolling =
        EffectiveSpec.rollingDeployment(is) && is.getStatus() != null
            ? is.getStatus().getRollingUpdate()
            : null;
    return aggregate(is, observed, rollout, rolling, now);
  }

  /**
   * The status; {@code rollout} is the blue-green decision's rollout status (null otherwise), and
   * the counts, selector and conditions then follow the active revision; {@code rolling} is the
   * rolling Deployment's decided {@code status.rollingUpdate} (null otherwise).
   */
  public static InferenceServiceStatus aggregate(
      InferenceService is,
      ObservedState observed,
      RolloutStatus rollout,
      RollingUpdateStatus rolling,
      Instant now) {
    WorkloadKind kind = EffectiveSpec.workload(is);
    String hash =
        PodTemplates.templateHash(is, kind, ModelConfigMap.hash(is, observed.modelConfigMap()));
    StatusDraft draft = new StatusDraft(is, kind, hash, observed, now);
    // The rollout first: which revision it follows decides what the parts after it count.
    BlueGreenStatusPart.addTo(draft, rollout, EffectiveSpec.blueGreen(is));
    RollingUpdateStatusPart.addTo(draft, EffectiveSpec.rollingDeployment(is) ? rolling : null);
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
