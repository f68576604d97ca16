package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;

/**
 * What a blue-green rollout adds to the status: the counts follow its active revision, and while it
 * is under way or failed its own reason stands for Progressing or Degraded.
 */
final class BlueGreenStatusPart {

  private BlueGreenStatusPart() {}

  /** {@code rollout} is kept as {@code status.rollout}; it speaks only for a blue-green spec. */
  static void addTo(StatusDraft draft, RolloutStatus rollout, boolean blueGreen) {
    draft.apply(status -> status.setRollout(rollout));
    if (!blueGreen || rollout == null || rollout.getActiveRevision() == null) {
      return;
    }
    draft.follow(rollout.getActiveRevision());
    if (rollout.getPhase() == RolloutPhase.Degraded) {
      draft.degradedBy(rollout.getReason(), rollout.getMessage());
    }
    if (rollout.getPhase() != RolloutPhase.Healthy) {
      draft.rolloutUnderWay(rollout.getReason(), rollout.getMessage());
    }
  }
}
