package dev.inferops.operator.rollout.bluegreen;

import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.problem;
import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.ready;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;

/**
 * Blue-green, rolling back: the Service switches back as soon as the previous revision runs every
 * replica, at once while it is still kept; it fails after the progress deadline.
 */
final class RollbackHandler implements StageHandler {

  @Override
  public void handle(BlueGreenStep step) {
    RolloutStatus st = step.st;
    String target = st.getRollbackRevision();
    RevisionState r = step.in.revisions().get(target);
    if (r != null && r.runs(step.in.replicas())) {
      String from = st.getActiveRevision();
      st.setAbortedRevision(from);
      st.setPreviousRevision(from);
      st.setActiveRevision(target);
      st.setRollbackRevision(null);
      st.setPreviewRevision(null);
      st.setVerifiedAt(null);
      st.setSwitchedAt(step.now.toString());
      step.set(
          RolloutPhase.Degraded,
          ConditionReason.RolledBack,
          "rolled back from revision "
              + from
              + " to "
              + target
              + "; revision "
              + from
              + " is not tried again until the spec changes or inferops.dev/retry is set");
      step.announce(true, Reason.RolledBack, st.getMessage());
      return;
    }
    Instant deadline = step.deadline();
    if (!step.now.isBefore(deadline)) {
      st.setRollbackRevision(null);
      step.set(
          RolloutPhase.Degraded,
          ConditionReason.RollbackFailed,
          "revision "
              + target
              + " did not run "
              + step.in.replicas()
              + " ready pods within "
              + step.cfg.progressDeadlineSeconds()
              + "s"
              + problem(r));
      step.announce(true, Reason.RollbackFailed, st.getMessage());
      return;
    }
    step.wake(deadline);
    step.set(
        RolloutPhase.Progressing,
        ConditionReason.RollingBack,
        "scaling revision " + target + " back up: " + ready(r) + " pods ready");
  }
}
