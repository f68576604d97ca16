package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.bluegreen.BlueGreenRollout.Command;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;

/**
 * Blue-green, a verified preview: promoted by the promote command, or automatically
 * autoPromotionSeconds after it was verified; paused until then.
 */
final class PromotionGate {

  private PromotionGate() {}

  static void decide(BlueGreenStep step) {
    RolloutStatus st = step.st;
    Instant verified = Instant.parse(st.getVerifiedAt());
    Instant autoAt = verified.plusSeconds(step.cfg.autoPromotionSeconds());
    boolean promote =
        step.in.commands().contains(Command.PROMOTE)
            || (step.cfg.autoPromotion() && !step.now.isBefore(autoAt));
    if (promote) {
      step.consume(Command.PROMOTE);
      st.setPromotionStartedAt(step.now.toString());
      BlueGreenStage.PROMOTING.handle(step);
      return;
    }
    if (step.cfg.autoPromotion()) {
      step.wake(autoAt);
      step.set(RolloutPhase.Paused, ConditionReason.AutoPromotionPending, "promotion at " + autoAt);
    } else {
      step.set(
          RolloutPhase.Paused,
          ConditionReason.AwaitingPromotion,
          "revision "
              + step.desired()
              + " passed every check; promote with: kubectl annotate inferenceservice <name>"
              + " inferops.dev/promote=true");
    }
  }
}
