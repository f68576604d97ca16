package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.Rollout;
import dev.inferops.operator.rollout.RolloutCommands;
import dev.inferops.operator.rollout.RolloutStatusPart;
import dev.inferops.operator.rollout.RolloutStrategy;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.status.StatusPart;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Blue-green: every pod template runs as a revision Deployment of its own; a new one comes up as
 * the preview, is checked through the preview Service, and takes the Service by one selector write.
 */
public final class BlueGreenStrategy implements RolloutStrategy {

  private final SmokeTester smokeTester;

  /** The smoke tests of previews are sent through {@code smokeTester}. */
  public BlueGreenStrategy(SmokeTester smokeTester) {
    this.smokeTester = smokeTester;
  }

  @Override
  public Runner runner() {
    return Runner.REVISION_DEPLOYMENTS;
  }

  @Override
  public Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    return new Decided(BlueGreenPlanner.plan(is, intent, context, smokeTester, now));
  }

  @Override
  public StatusPart recorded(InferenceService is) {
    return new RolloutStatusPart(is.getStatus() == null ? null : is.getStatus().getRollout());
  }

  /** A blue-green decision as the dependents, the status and the reconciler read it. */
  private record Decided(BlueGreenDecision decision) implements Rollout {

    @Override
    public StatusPart statusPart() {
      return new RolloutStatusPart(decision.status());
    }

    @Override
    public List<Announcement> announcements() {
      return decision.announcements();
    }

    @Override
    public List<String> consumedCommands() {
      return decision.consumed().stream().map(RolloutCommands.ANNOTATIONS::get).toList();
    }

    @Override
    public Optional<Duration> requeueAfter() {
      return decision.requeueAfter();
    }

    @Override
    public Map<String, Integer> revisionReplicas() {
      return decision.replicas();
    }

    @Override
    public Optional<String> activeServiceRevision() {
      return Optional.ofNullable(decision.activeSelectorRevision());
    }

    @Override
    public Optional<String> previewServiceRevision() {
      return Optional.ofNullable(decision.previewSelectorRevision());
    }
  }
}
