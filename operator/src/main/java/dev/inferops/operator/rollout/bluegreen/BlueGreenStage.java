package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;

/**
 * Where a blue-green rollout stands towards the spec's revision, read from the status's revisions;
 * each stage has the one handler that decides its next step. The phase a handler sets is the
 * outcome, so one stage can end in several phases.
 */
enum BlueGreenStage {
  /** A rollback command brings the previous revision back. */
  ROLLING_BACK(new RollbackHandler()),
  /** The spec's revision is active: it comes up, or the replaced one waits out its delay. */
  ACTIVE(new ActiveRevisionHandler()),
  /** The spec's revision was aborted or rolled back: so it stays until a spec change or retry. */
  ABORTED(step -> step.st.setPhase(RolloutPhase.Degraded)),
  /** The spec's revision was promoted and scales up before the Service switches to it. */
  PROMOTING(new PromotionHandler()),
  /** The spec's revision comes up next to the active one and is checked. */
  PREVIEW(new PreviewHandler());

  private final StageHandler handler;

  BlueGreenStage(StageHandler handler) {
    this.handler = handler;
  }

  static BlueGreenStage of(BlueGreenStep step) {
    String desired = step.desired();
    if (step.st.getRollbackRevision() != null) {
      return ROLLING_BACK;
    }
    if (desired.equals(step.st.getActiveRevision())) {
      return ACTIVE;
    }
    if (desired.equals(step.st.getAbortedRevision())) {
      return ABORTED;
    }
    if (desired.equals(step.st.getPreviewRevision()) && step.st.getPromotionStartedAt() != null) {
      return PROMOTING;
    }
    return PREVIEW;
  }

  void handle(BlueGreenStep step) {
    handler.handle(step);
  }
}
