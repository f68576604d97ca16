package dev.inferops.operator.events;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;

/**
 * Where the operator records what it did to an InferenceService: one instance per operator, shared
 * by the reconciler and every dependent; Kubernetes Events outside of unit tests.
 */
@FunctionalInterface
public interface EventRecorder {

  /** The Event type, as Kubernetes spells it. */
  enum Type {
    Normal,
    Warning
  }

  /** Every reason the operator gives, so Events can be filtered on a fixed set. */
  enum Reason {
    Created,
    Updated,
    /** A pod whose template changed was deleted to be created again. */
    Replaced,
    Deleted,
    PhasePending,
    PhaseProgressing,
    PhaseReady,
    PhaseDegraded,
    RolloutStarted,
    SmokeTestPassed,
    PreviewVerified,
    /** The preview's answers to copies of live requests agreed enough, or the gate was waived. */
    ShadowAgreed,
    ShadowUnavailable,
    /** A canary reached a step's weight, or passed a pause. */
    CanaryAdvanced,
    Promoted,
    RolloutAborted,
    RolloutRetried,
    RollingBack,
    RolledBack,
    RollbackFailed;

    /** The reason of a change into the given phase. */
    public static Reason enteredPhase(Phase phase) {
      return switch (phase) {
        case Pending -> PhasePending;
        case Progressing -> PhaseProgressing;
        case Ready -> PhaseReady;
        case Degraded -> PhaseDegraded;
      };
    }
  }

  /** Records an Event; a failure to record must never fail a reconcile. */
  void record(InferenceService is, Type type, Reason reason, String message);

  /** Records what was held back for one reconcile of {@code is}; called once its workflow ran. */
  default void flush(InferenceService is) {}
}
