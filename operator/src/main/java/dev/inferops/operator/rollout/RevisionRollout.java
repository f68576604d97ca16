package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A decision of a strategy that runs each revision as a Deployment of its own (blue-green, canary),
 * as the dependents, the status and the reconciler read it. {@code activeRevision} null: the
 * Service selects every pod of the InferenceService; {@code previewRevision} null: no preview
 * Service; {@code shadowSource} null: no pod copies requests to the preview.
 */
public record RevisionRollout(
    RolloutStatus status,
    Map<String, Integer> replicas,
    String activeRevision,
    String previewRevision,
    String shadowSource,
    Optional<Duration> requeue,
    List<Announcement> announced,
    Set<RolloutCommand> consumed)
    implements Rollout {

  @Override
  public RolloutStatusPart statusPart() {
    return new RolloutStatusPart(status);
  }

  @Override
  public List<Announcement> announcements() {
    return announced;
  }

  @Override
  public List<String> consumedCommands() {
    return consumed.stream().map(RolloutCommands.ANNOTATIONS::get).toList();
  }

  @Override
  public Optional<Duration> requeueAfter() {
    return requeue;
  }

  @Override
  public Map<String, Integer> revisionReplicas() {
    return replicas;
  }

  @Override
  public Optional<String> activeServiceRevision() {
    return Optional.ofNullable(activeRevision);
  }

  @Override
  public Optional<String> shadowSourceRevision() {
    return Optional.ofNullable(shadowSource);
  }

  @Override
  public Optional<String> previewServiceRevision() {
    return Optional.ofNullable(previewRevision);
  }
}
