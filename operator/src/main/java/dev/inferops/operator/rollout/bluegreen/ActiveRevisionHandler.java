package dev.inferops.operator.rollout.bluegreen;

import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.problem;
import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.ready;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.Optional;

/**
 * Blue-green, the spec's revision active: a first revision waits for its pods (until the progress
 * deadline); after a switch the replaced revision keeps its pods for the scale-down delay; then the
 * rollout is healthy.
 */
final class ActiveRevisionHandler implements StageHandler {

  @Override
  public void handle(BlueGreenStep step) {
    RolloutStatus st = step.st;
    String desired = step.desired();
    st.setPreviewRevision(null);
    st.setVerifiedAt(null);
    if (desired.equals(st.getAbortedRevision())) {
      st.setAbortedRevision(null);
    }
    RevisionState active = step.in.revisions().get(desired);
    boolean runs = active != null && active.runs(step.in.replicas());
    if (!runs && st.getSwitchedAt() == null) {
      Instant deadline = step.deadline();
      if (!step.now.isBefore(deadline)) {
        step.set(
            RolloutPhase.Degraded,
            ConditionReason.ProgressDeadlineExceeded,
            ready(active)
                + " pods ready after "
                + step.cfg.progressDeadlineSeconds()
                + "s"
                + problem(active));
      } else {
        step.wake(deadline);
        step.set(
            RolloutPhase.Progressing,
            ConditionReason.WaitingForPods,
            ready(active) + " pods ready");
      }
      return;
    }
    Optional<Instant> scaleDown = step.scaleDownAt();
    if (scaleDown.isPresent() && step.now.isBefore(scaleDown.get())) {
      step.wake(scaleDown.get());
      step.set(
          RolloutPhase.Promoting,
          ConditionReason.ScaleDownDelay,
          "active revision "
              + desired
              + "; revision "
              + st.getPreviousRevision()
              + " keeps its pods until "
              + scaleDown.get());
      return;
    }
    step.set(RolloutPhase.Healthy, ConditionReason.Complete, "revision " + desired + " is active");
  }
}
