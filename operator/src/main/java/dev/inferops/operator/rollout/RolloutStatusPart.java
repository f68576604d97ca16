package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.status.StatusDraft;
import dev.inferops.operator.status.StatusPart;

/**
 * What a blue-green or canary rollout adds to the status: the counts follow its active (a canary's
 * stable) revision, and while it is under way or failed its own reason stands for Progressing or
 * Degraded.
 */
public record RolloutStatusPart(RolloutStatus rollout) implements StatusPart {

  /** {@code rollout} is kept as {@code status.rollout}. */
  @Override
  public void addTo(StatusDraft draft) {
    draft.apply(status -> status.setRollout(rollout));
    if (rollout == null || rollout.getActiveRevision() == null) {
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
