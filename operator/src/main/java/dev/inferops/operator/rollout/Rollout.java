package dev.inferops.operator.rollout;

import dev.inferops.operator.status.StatusPart;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a rollout strategy decided in one reconcile, as the dependents, the status and the
 * reconciler read it; what a strategy has no use for stays empty.
 */
public interface Rollout {

  /** Decides nothing: the workload object replaces its pods by itself, or never. */
  Rollout NONE = () -> StatusPart.NONE;

  /** What the decision adds to the status. */
  StatusPart statusPart();

  /** Events to record once the workflow ran. */
  default List<Announcement> announcements() {
    return List.of();
  }

  /** Command annotations acted on, to be removed so each acts once. */
  default List<String> consumedCommands() {
    return List.of();
  }

  /** When a timer of the rollout is due and the InferenceService is to be reconciled again. */
  default Optional<Duration> requeueAfter() {
    return Optional.empty();
  }

  /** The pod template the rolling Deployment runs instead of the spec's. */
  default Optional<PodTemplateSpec> deploymentTemplate() {
    return Optional.empty();
  }

  /** The revision Deployments to keep, at their replicas; the others are deleted. */
  default Map<String, Integer> revisionReplicas() {
    return Map.of();
  }

  /** The revision the Service selects; empty: every pod of the InferenceService. */
  default Optional<String> activeServiceRevision() {
    return Optional.empty();
  }

  /**
   * The revision whose pods copy requests to the preview Service now (blue-green's shadow); empty:
   * nothing is copied.
   */
  default Optional<String> shadowSourceRevision() {
    return Optional.empty();
  }

  /** The revision the preview Service selects; empty: there is no preview Service. */
  default Optional<String> previewServiceRevision() {
    return Optional.empty();
  }
}
