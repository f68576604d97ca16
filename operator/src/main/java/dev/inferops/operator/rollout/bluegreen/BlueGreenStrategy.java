package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.analysis.ShadowMeter;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.rollout.RevisionRollout;
import dev.inferops.operator.rollout.Rollout;
import dev.inferops.operator.rollout.RolloutStatusPart;
import dev.inferops.operator.rollout.RolloutStrategy;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.status.StatusPart;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;

/**
 * Blue-green: every pod template runs as a revision Deployment of its own; a new one comes up as
 * the preview, is checked through the preview Service, and takes the Service by one selector write.
 */
public final class BlueGreenStrategy implements RolloutStrategy {

  private final SmokeTester smokeTester;
  private final ShadowMeter shadowMeter;

  /**
   * The smoke tests of previews are sent through {@code smokeTester}, shadows counted by {@code
   * shadowMeter}.
   */
  public BlueGreenStrategy(SmokeTester smokeTester, ShadowMeter shadowMeter) {
    this.smokeTester = smokeTester;
    this.shadowMeter = shadowMeter;
  }

  @Override
  public Runner runner() {
    return Runner.REVISION_DEPLOYMENTS;
  }

  @Override
  public Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    BlueGreenDecision d = BlueGreenPlanner.plan(is, intent, context, smokeTester, shadowMeter, now);
    return new RevisionRollout(
        d.status(),
        d.replicas(),
        d.activeSelectorRevision(),
        d.previewSelectorRevision(),
        d.shadowSource(),
        d.requeueAfter(),
        d.announcements(),
        d.consumed());
  }

  @Override
  public StatusPart recorded(InferenceService is) {
    return new RolloutStatusPart(is.getStatus() == null ? null : is.getStatus().getRollout());
  }
}
