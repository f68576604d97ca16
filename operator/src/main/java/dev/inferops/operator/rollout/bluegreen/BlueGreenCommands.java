package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.status.ConditionReason;
import java.util.Set;

/**
 * The user's commands to a blue-green rollout, applied before its stage is chosen, as they change
 * it: retry an aborted revision, abort the preview, roll back to the previous revision. Each is
 * consumed whether or not it had anything to act on; promote is the promotion gate's.
 */
final class BlueGreenCommands {

  private BlueGreenCommands() {}

  static void apply(BlueGreenStep step) {
    RolloutStatus st = step.st;
    String desired = step.desired();
    Set<RolloutCommand> commands = step.in.commands();
    if (commands.contains(RolloutCommand.RETRY)) {
      step.consume(RolloutCommand.RETRY);
      if (desired.equals(st.getAbortedRevision())) {
        st.setAbortedRevision(null);
        st.setPreviewRevision(null);
        step.announce(false, Reason.RolloutRetried, "retrying revision " + desired);
      }
    }
    if (commands.contains(RolloutCommand.ABORT)) {
      step.consume(RolloutCommand.ABORT);
      String preview = st.getPreviewRevision();
      if (preview != null
          && !preview.equals(st.getActiveRevision())
          && !preview.equals(st.getAbortedRevision())) {
        step.abort(
            preview,
            ConditionReason.Aborted,
            "aborted by the user (annotation inferops.dev/abort)");
      }
    }
    if (commands.contains(RolloutCommand.ROLLBACK)) {
      step.consume(RolloutCommand.ROLLBACK);
      String target = st.getPreviousRevision();
      if (target == null) {
        step.announce(true, Reason.RollbackFailed, "no previous revision to roll back to");
      } else {
        st.setRollbackRevision(target);
        st.setAttemptStartedAt(step.now.toString());
        step.announce(false, Reason.RollingBack, "rolling back to revision " + target);
      }
    }
  }
}
