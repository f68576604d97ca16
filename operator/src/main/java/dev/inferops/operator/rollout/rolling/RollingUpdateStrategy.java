package dev.inferops.operator.rollout.rolling;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.Rollout;
import dev.inferops.operator.rollout.RolloutStrategy;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Decision;
import dev.inferops.operator.status.StatusPart;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rolling update: one Deployment {@code <name>} replaces its pods itself; the operator
 * remembers the last revision it ran fully available and, with autoRollback, goes back to it when a
 * rollout exceeds its progress deadline.
 */
public final class RollingUpdateStrategy implements RolloutStrategy {

  @Override
  public Runner runner() {
    return Runner.ROLLING_DEPLOYMENT;
  }

  @Override
  public Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    return new Decided(RollingUpdatePlanner.plan(is, intent, context, now));
  }

  @Override
  public StatusPart recorded(InferenceService is) {
    return new RollingUpdateStatusPart(
        is.getStatus() == null ? null : is.getStatus().getRollingUpdate());
  }

  /** A rolling decision as the Deployment, the status and the reconciler read it. */
  private record Decided(Decision decision) implements Rollout {

    @Override
    public StatusPart statusPart() {
      return new RollingUpdateStatusPart(decision.status());
    }

    @Override
    public List<Announcement> announcements() {
      return decision.announcements();
    }

    @Override
    public List<String> consumedCommands() {
      return decision.retryConsumed() ? List.of(ResourceNaming.ANNOTATION_RETRY) : List.of();
    }

    @Override
    public Optional<PodTemplateSpec> deploymentTemplate() {
      return decision.template();
    }
  }
}
