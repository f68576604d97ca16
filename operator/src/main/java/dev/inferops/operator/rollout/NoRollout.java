package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.status.StatusPart;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;

/**
 * The workloads without a rollout of their own: a ReplicaSet only gives pods added later the new
 * template, and bare pods are replaced one by one as their template changes.
 */
public record NoRollout(Runner runner) implements RolloutStrategy {

  public static final NoRollout REPLICA_SET = new NoRollout(Runner.REPLICA_SET);
  public static final NoRollout BARE_PODS = new NoRollout(Runner.BARE_PODS);

  @Override
  public Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    return Rollout.NONE;
  }

  @Override
  public StatusPart recorded(InferenceService is) {
    return StatusPart.NONE;
  }
}
