package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.Optional;

/**
 * One decision of a rollout that runs a new revision beside the active one (blue-green, canary)
 * while it is made, as the checks they share see it.
 */
public interface RolloutStep {

  /** The status being decided, a copy of the last one. */
  RolloutStatus status();

  /** The spec's revision. */
  String desired();

  Instant now();

  /** The result of a smoke test this decision asked for and got, if any. */
  Optional<SmokeTestResult> smokeTestResult();

  void set(RolloutPhase phase, ConditionReason reason, String message);

  /** The attempt of {@code revision} failed: the active revision stays, the new one goes. */
  void abort(String revision, ConditionReason reason, String message);

  void announce(boolean warning, Reason reason, String message);

  /** Decide again at {@code at}, unless something asked for an earlier time. */
  void wake(Instant at);

  /** The smoke test is to be run, and the decision made again with its result. */
  void smokeTestDue();
}
