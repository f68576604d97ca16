package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;

/**
 * Blue-green, a verified preview: promoted by the promote command, or automatically
 * autoPromotionSeconds after it was verified; paused until then.
 */
final class PromotionGate {

  /** A promoted preview is scaled up and switched to by the promotion's handler. */
  private static final StageHandler PROMOTING = new PromotionHandler();

  private PromotionGate() {}

  static void decide(BlueGreenStep step) {
    RolloutStatus st = step.st;
    Instant verified = Instant.parse(st.getVerifiedAt());
    Instant autoAt = verified.plusSeconds(step.cfg.autoPromotionSeconds());
    boolean promote =
        step.in.commands().contains(RolloutCommand.PROMOTE)
            || (step.cfg.autoPromotion() && !step.now.isBefore(autoAt));
    if (promote) {
      step.consume(RolloutCommand.PROMOTE);
      st.setPromotionStartedAt(step.now.toString());
      PROMOTING.handle(step);
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
