package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.rollout.RollingUpdateRollout;
import dev.inferops.operator.status.ConditionReason;

/**
 * What a rolling Deployment's memory adds to the status: an automatic rollback, which stands for
 * Degraded and Progressing, or why a rollout past its deadline was not rolled back.
 */
final class RollingUpdateStatusPart {

  private RollingUpdateStatusPart() {}

  /** {@code rolling} is kept as {@code status.rollingUpdate}. */
  static void addTo(StatusDraft draft, RollingUpdateStatus rolling) {
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
