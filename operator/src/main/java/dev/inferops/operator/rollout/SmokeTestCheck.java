package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.Optional;

/**
 * The smoke test of a new revision through the preview Service (blue-green's last check before the
 * promotion gate, a canary's at its first weight). An attempt without an answer is repeated after a
 * back-off, a wrong answer aborts at once.
 */
public final class SmokeTestCheck {

  /**
   * Attempts of a smoke test that get no answer before it fails. The preview's EndpointSlices can
   * list its pods before every kube-proxy has programmed the Service (a refused or dropped
   * connection for a moment), while a wrong answer is the model's and fails at once.
   */
  public static final int SMOKE_TEST_ATTEMPTS = 5;

  private SmokeTestCheck() {}

  /** After attempt n without an answer the next waits 2^(n-1) seconds: 1, 2, 4, 8. */
  static Instant retryAt(SmokeTestResult unanswered) {
    return Instant.parse(unanswered.getTime())
        .plusSeconds(1L << Math.min(unanswered.getAttempt() - 1, 4));
  }

  /** Whether the new revision passed; else the test is due, awaited, or failed and aborted. */
  public static boolean passed(RolloutStep step) {
    RolloutStatus st = step.status();
    String desired = step.desired();
    if (passed(st, desired)) {
      return true;
    }
    Optional<SmokeTestResult> unanswered = unansweredAttempt(st, desired);
    if (step.smokeTestResult().isEmpty()) {
      Instant retryAt = unanswered.map(SmokeTestCheck::retryAt).orElse(step.now());
      if (step.now().isBefore(retryAt)) {
        step.wake(retryAt);
        step.set(
            RolloutPhase.Progressing,
            ConditionReason.RetryingSmokeTest,
            retrying(unanswered.get()));
        return false;
      }
      step.smokeTestDue();
      step.set(
          RolloutPhase.Progressing,
          ConditionReason.RunningSmokeTest,
          "smoke test of revision " + desired);
      return false;
    }
    SmokeTestResult result = copy(step.smokeTestResult().get());
    result.setAttempt(unanswered.map(r -> r.getAttempt() + 1).orElse(1));
    st.setSmokeTest(result);
    if (!Boolean.TRUE.equals(result.getPassed())) {
      if (Boolean.FALSE.equals(result.getAnswered()) && result.getAttempt() < SMOKE_TEST_ATTEMPTS) {
        step.wake(retryAt(result));
        step.set(RolloutPhase.Progressing, ConditionReason.RetryingSmokeTest, retrying(result));
        return false;
      }
      step.abort(
          desired,
          ConditionReason.SmokeTestFailed,
          result.getMessage()
              + (result.getAttempt() > 1
                  ? " (attempt " + result.getAttempt() + " of " + SMOKE_TEST_ATTEMPTS + ")"
                  : ""));
      return false;
    }
    step.announce(false, Reason.SmokeTestPassed, result.getMessage());
    return true;
  }

  /**
   * The last attempt of this rollout attempt's smoke test when it got no answer: the next one
   * counts on from it. A result from before the attempt started (an earlier try of the same
   * revision, before a retry) does not count.
   */
  private static Optional<SmokeTestResult> unansweredAttempt(RolloutStatus st, String revision) {
    SmokeTestResult last = st.getSmokeTest();
    if (last == null
        || !revision.equals(last.getRevision())
        || !Boolean.FALSE.equals(last.getAnswered())
        || last.getAttempt() == null
        || last.getTime() == null
        || (st.getAttemptStartedAt() != null
            && Instant.parse(last.getTime()).isBefore(Instant.parse(st.getAttemptStartedAt())))) {
      return Optional.empty();
    }
    return Optional.of(last);
  }

  private static String retrying(SmokeTestResult unanswered) {
    return "smoke test attempt "
        + unanswered.getAttempt()
        + " of "
        + SMOKE_TEST_ATTEMPTS
        + " got no answer, next at "
        + retryAt(unanswered)
        + ": "
        + unanswered.getMessage();
  }

  private static boolean passed(RolloutStatus st, String revision) {
    SmokeTestResult last = st.getSmokeTest();
    return last != null
        && revision.equals(last.getRevision())
        && Boolean.TRUE.equals(last.getPassed());
  }

  private static SmokeTestResult copy(SmokeTestResult s) {
    SmokeTestResult c = new SmokeTestResult();
    c.setRevision(s.getRevision());
    c.setPassed(s.getPassed());
    c.setAnswered(s.getAnswered());
    c.setAttempt(s.getAttempt());
    c.setMessage(s.getMessage());
    c.setTime(s.getTime());
    return c;
  }
}
