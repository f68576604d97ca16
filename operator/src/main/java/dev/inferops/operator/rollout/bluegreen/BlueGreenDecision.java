package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.RolloutCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome: {@code replicas} holds every revision Deployment to keep (others are deleted);
 * {@code activeSelectorRevision} is null while the first revision is not ready yet (the active
 * Service then selects every pod of the InferenceService); {@code shadowSource} is the revision
 * whose pods copy requests to the preview, null for none, and {@code shadowReadingDue} asks for
 * their counters to decide again.
 */
public record BlueGreenDecision(
    RolloutStatus status,
    Map<String, Integer> replicas,
    String activeSelectorRevision,
    String previewSelectorRevision,
    String shadowSource,
    boolean smokeTestDue,
    boolean shadowReadingDue,
    Optional<Duration> requeueAfter,
    List<Announcement> announcements,
    Set<RolloutCommand> consumed) {}
