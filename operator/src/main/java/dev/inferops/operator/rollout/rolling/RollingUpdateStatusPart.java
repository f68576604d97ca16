package dev.inferops.operator.rollout.rolling;

import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.status.ConditionReason;
import dev.inferops.operator.status.StatusDraft;
import dev.inferops.operator.status.StatusPart;

/**
 * What a rolling Deployment's memory adds to the status: an automatic rollback, which stands for
 * Degraded and Progressing, or why a rollout past its deadline was not rolled back.
 */
public record RollingUpdateStatusPart(RollingUpdateStatus rolling) implements StatusPart {

  /** {@code rolling} is kept as {@code status.rollingUpdate}. */
  @Override
  public void addTo(StatusDraft draft) {
    draft.apply(status -> status.setRollingUpdate(rolling));
    if (RollingUpdateRollout.rolledBack(rolling)) {
      // The Deployment runs the old template again; the failed pods' reason is remembered.
      draft.degradedBy(
          ConditionReason.RolledBack.name(), RollingUpdateRollout.rolledBackMessage(rolling));
      // Nothing moves towards the spec after a rollback until it changes or is retried.
      draft.rolloutHalted(
          ConditionReason.RolledBack.name(),
          "revision "
              + rolling.getAvailableRevision()
              + " runs instead of the failed revision "
              + rolling.getFailedRevision());
    }
    RollingUpdateRollout.notRolledBackMessage(rolling).ifPresent(draft::deadlineNote);
  }
}
