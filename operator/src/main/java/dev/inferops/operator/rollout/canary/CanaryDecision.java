package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.RolloutCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome: {@code replicas} holds every revision Deployment to keep (others are deleted); the
 * preview Service selects {@code previewRevision}, the canary, while it runs. A due smoke test or
 * analysis is run by the planner, which then decides again with its result; {@code windowId} names
 * the analysis window.
 */
record CanaryDecision(
    RolloutStatus status,
    Map<String, Integer> replicas,
    String previewRevision,
    boolean smokeTestDue,
    boolean analysisDue,
    String windowId,
    Optional<Duration> requeueAfter,
    List<Announcement> announcements,
    Set<RolloutCommand> consumed) {}
