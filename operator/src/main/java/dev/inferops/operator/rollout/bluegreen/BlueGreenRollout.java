package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.RevisionState;
import java.util.Map;

/**
 * The blue-green state machine, pure: from the last rollout status, what the informers show and the
 * user's commands it decides the next status, the replicas of every revision Deployment and where
 * the two Services point. The status is the only memory, so a restarted operator resumes.
 *
 * <p>Each decision brings the status up to date with what still exists, applies the user's commands
 * ({@link BlueGreenCommands}), then lets the handler of the rollout's {@link BlueGreenStage}
 * decide. Order of the checks before a switch: all new pods ready, the preview Service's endpoints
 * list them, the smoke test passed, then the promotion gate (auto, after autoPromotionSeconds, or
 * the promote command).
 */
public final class BlueGreenRollout {

  private BlueGreenRollout() {}

  /** The next step: what the status remembers is brought up to date, then its stage decides. */
  public static BlueGreenDecision decide(BlueGreenInput in) {
    BlueGreenStep step = new BlueGreenStep(in);
    forgetVanished(step);
    if (step.st.getActiveRevision() == null) {
      // The first revision becomes active without checks: there is nothing to compare it with.
      step.st.setActiveRevision(in.desiredRevision());
      step.st.setAttemptStartedAt(step.now.toString());
      step.st.setPreviewRevision(null);
    }
    BlueGreenCommands.apply(step);
    BlueGreenStage.of(step).handle(step);
    return step.decision(RevisionReplicas::of);
  }

  /** Revisions whose Deployment was deleted by someone cannot be switched to. */
  private static void forgetVanished(BlueGreenStep step) {
    RolloutStatus st = step.st;
    Map<String, RevisionState> revisions = step.in.revisions();
    if (st.getActiveRevision() != null
        && !st.getActiveRevision().equals(step.in.desiredRevision())
        && !revisions.containsKey(st.getActiveRevision())) {
      st.setActiveRevision(null);
      st.setSwitchedAt(null);
    }
    if (st.getPreviousRevision() != null && !revisions.containsKey(st.getPreviousRevision())) {
      st.setPreviousRevision(null);
    }
    if (st.getRollbackRevision() != null && !revisions.containsKey(st.getRollbackRevision())) {
      st.setRollbackRevision(null);
    }
  }
}
