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
 * Blue-green, promoted: a preview checked at fewer pods first runs every replica, so the switch
 * never leaves the active Service short and all old and all new pods exist at one moment. The
 * scale-up has a deadline of its own, counted from the promotion.
 */
final class PromotionHandler implements StageHandler {

  /** After the switch the spec's revision is active, and its handler finishes the step. */
  private static final StageHandler ACTIVE = new ActiveRevisionHandler();

  @Override
  public void handle(BlueGreenStep step) {
    RolloutStatus st = step.st;
    String desired = step.desired();
    RevisionState preview = step.in.revisions().get(desired);
    if (preview != null && preview.runs(step.in.replicas())) {
      String from = st.getActiveRevision();
      st.setPreviousRevision(from);
      st.setActiveRevision(desired);
      st.setPreviewRevision(null);
      st.setVerifiedAt(null);
      st.setPromotionStartedAt(null);
      st.setSwitchedAt(step.now.toString());
      step.announce(
          false, Reason.Promoted, "the Service switched from revision " + from + " to " + desired);
      ACTIVE.handle(step);
      return;
    }
    int seconds = step.cfg.progressDeadlineSeconds();
    Instant deadline = Instant.parse(st.getPromotionStartedAt()).plusSeconds(seconds);
    String progress = ready(preview) + "/" + step.in.replicas() + " pods ready";
    if (!step.now.isBefore(deadline)) {
      step.abort(
          desired,
          ConditionReason.ProgressDeadlineExceeded,
          progress + " " + seconds + "s after promotion began" + problem(preview));
      return;
    }
    step.wake(deadline);
    step.set(
        RolloutPhase.Promoting,
        ConditionReason.ScalingUpPreview,
        "revision " + desired + " scales up before the switch: " + progress + problem(preview));
  }
}
