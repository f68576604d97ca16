package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.status.StatusPart;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.Runner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;

/**
 * One way of replacing an InferenceService's pods (a rolling update, blue-green), chosen once per
 * reconcile from its intent; the reconciler, the dependents and the status know it only as this.
 */
public interface RolloutStrategy {

  /** The owned objects that run the pods under this strategy. */
  Runner runner();

  /**
   * This reconcile's decision, from the status it last recorded and what the informers show; it may
   * read the API server or send requests to the pods it checks.
   */
  Rollout decide(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now);

  /** The last decision as {@code is}'s status recorded it, for a status written without one. */
  StatusPart recorded(InferenceService is);
}
