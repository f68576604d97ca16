package dev.inferops.operator.rollout.bluegreen;

import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.problem;
import static dev.inferops.operator.rollout.bluegreen.BlueGreenStep.ready;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.SmokeTestCheck;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;

/**
 * Blue-green, a new revision: it comes up as the preview next to the active one; once all its pods
 * are ready and listed by the preview Service, the smoke test checks it, the shadow compares it
 * with the live revision when the spec asks for one, and the promotion gate decides. Either wait
 * fails after the progress deadline.
 */
final class PreviewHandler implements StageHandler {

  @Override
  public void handle(BlueGreenStep step) {
    RolloutStatus st = step.st;
    String desired = step.desired();
    if (!desired.equals(st.getPreviewRevision())) {
      st.setPreviewRevision(desired);
      st.setAttemptStartedAt(step.now.toString());
      st.setVerifiedAt(null);
      st.setPromotionStartedAt(null);
      st.setShadow(null);
      step.announce(
          false,
          Reason.RolloutStarted,
          "revision "
              + desired
              + " ("
              + step.in.desiredImage()
              + ") comes up next to active revision "
              + st.getActiveRevision());
    }
    if (!podsListed(step)) {
      return;
    }
    if (st.getVerifiedAt() == null && !verified(step)) {
      return;
    }
    if (!ShadowGate.passed(step)) {
      return;
    }
    PromotionGate.decide(step);
  }

  /** Whether the preview passed its smoke test, when enabled, and is now verified. */
  private static boolean verified(BlueGreenStep step) {
    if (step.cfg.smokeTestEnabled() && !SmokeTestCheck.passed(step)) {
      return false;
    }
    step.st.setVerifiedAt(step.now.toString());
    step.announce(
        false,
        Reason.PreviewVerified,
        "revision "
            + step.desired()
            + ": pods ready, listed by the preview Service"
            + (step.cfg.smokeTestEnabled() ? ", smoke test passed" : ", smoke test disabled"));
    return true;
  }

  /** Whether the preview's pods are ready and its Service lists them; else waits or aborts. */
  private static boolean podsListed(BlueGreenStep step) {
    String desired = step.desired();
    RevisionState preview = step.in.revisions().get(desired);
    int checked = step.previewReplicas();
    boolean podsReady = preview != null && preview.runs(checked);
    boolean endpointsReady =
        desired.equals(step.in.previewServiceRevision())
            && step.in.previewReadyEndpoints() >= checked;
    if (podsReady && endpointsReady) {
      return true;
    }
    step.st.setVerifiedAt(null);
    int seconds = step.cfg.progressDeadlineSeconds();
    Instant deadline = step.deadline();
    if (!step.now.isBefore(deadline)) {
      step.abort(
          desired,
          ConditionReason.ProgressDeadlineExceeded,
          !podsReady
              ? ready(preview)
                  + "/"
                  + checked
                  + " new pods ready after "
                  + seconds
                  + "s"
                  + problem(preview)
              : "the preview Service lists "
                  + step.in.previewReadyEndpoints()
                  + "/"
                  + checked
                  + " ready endpoints after "
                  + seconds
                  + "s");
      return false;
    }
    step.wake(deadline);
    if (!podsReady) {
      step.set(
          RolloutPhase.Progressing,
          ConditionReason.WaitingForPreviewPods,
          ready(preview) + "/" + checked + " new pods ready" + problem(preview));
    } else {
      step.set(
          RolloutPhase.Progressing,
          ConditionReason.WaitingForPreviewEndpoints,
          "the preview Service lists "
              + step.in.previewReadyEndpoints()
              + "/"
              + checked
              + " ready endpoints");
    }
    return false;
  }
}
