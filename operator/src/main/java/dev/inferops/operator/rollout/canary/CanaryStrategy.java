package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.analysis.CanaryAnalyzer;
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
 * Canary: the stable and the new version run as revision Deployments of their own behind the one
 * Service, and replicas move to the new one step by step, each judged from the pods' own metrics.
 */
public final class CanaryStrategy implements RolloutStrategy {

  private final SmokeTester smokeTester;
  private final CanaryAnalyzer analyzer;

  /** Smoke tests go through {@code smokeTester}, pauses are judged by {@code analyzer}. */
  public CanaryStrategy(SmokeTester smokeTester, CanaryAnalyzer analyzer) {
    this.smokeTester = smokeTester;
    this.analyzer = analyzer;
  }

  @Override
  public Runner runner() {
    return Runner.REVISION_DEPLOYMENTS;
  }

  @Override
  public Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    CanaryDecision d = CanaryPlanner.plan(is, intent, context, smokeTester, analyzer, now);
    // The Service selects every pod of the InferenceService, stable and canary alike.
    return new RevisionRollout(
        d.status(),
        d.replicas(),
        null,
        d.previewRevision(),
        null,
        d.requeueAfter(),
        d.announcements(),
        d.consumed());
  }

  @Override
  public StatusPart recorded(InferenceService is) {
    return new RolloutStatusPart(is.getStatus() == null ? null : is.getStatus().getRollout());
  }
}
