package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.rollout.Announcement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The blue-green state machine, pure: from the last rollout status, what the informers show and the
 * user's commands it decides the next status, the replicas of every revision Deployment and where
 * the two Services point. The status is the only memory, so a restarted operator resumes.
 *
 * <p>Each decision brings the status up to date with what still exists, applies the user's commands
 * ({@link BlueGreenCommands}), then lets the handler of the rollout's {@link BlueGreenStage}
 * decide. Order of the checks before a switch: all new pods ready, the preview Service's endpoints
 * list them, the smoke test passed, then the promotion gate (auto, after autoPromotionSeconds, or
 * the promote command).
 */
public final class BlueGreenRollout {

  /** A user's command, given as an annotation on the InferenceService. */
  public enum Command {
    PROMOTE,
    ABORT,
    ROLLBACK,
    RETRY
  }

  /** The spec's rollout settings, defaults filled in. */
  public record Settings(
      int progressDeadlineSeconds,
      boolean autoPromotion,
      int autoPromotionSeconds,
      int scaleDownDelaySeconds,
      boolean smokeTestEnabled,
      int revisionHistoryLimit,
      int previewReplicaCount) {}

  /** One revision Deployment as the informers show it; {@code problem} is its pods' worst. */
  public record Revision(
      String revision,
      String image,
      int specReplicas,
      int readyPods,
      boolean caughtUp,
      Instant created,
      String problem) {

    boolean runs(int replicas) {
      return caughtUp && specReplicas >= replicas && readyPods >= replicas;
    }
  }

  /**
   * What the decision is made from; {@code previewServiceRevision} is the revision the preview
   * Service selects now and {@code previewReadyEndpoints} the ready endpoints its EndpointSlices
   * list; {@code smokeTest} is a result just obtained for the preview, if one was run.
   */
  public record Input(
      String desiredRevision,
      String desiredImage,
      int replicas,
      RolloutStatus previous,
      Map<String, Revision> revisions,
      String previewServiceRevision,
      int previewReadyEndpoints,
      Set<Command> commands,
      Optional<SmokeTestResult> smokeTest,
      Instant now,
      Settings settings) {

    /** The same input with the result of the smoke test a first decision asked for. */
    public Input withSmokeTest(SmokeTestResult result) {
      return new Input(
          desiredRevision,
          desiredImage,
          replicas,
          previous,
          revisions,
          previewServiceRevision,
          previewReadyEndpoints,
          commands,
          Optional.of(result),
          now,
          settings);
    }
  }

  /**
   * The outcome: {@code replicas} holds every revision Deployment to keep (others are deleted);
   * {@code activeSelectorRevision} is null while the first revision is not ready yet (the active
   * Service then selects every pod of the InferenceService).
   */
  public record Decision(
      RolloutStatus status,
      Map<String, Integer> replicas,
      String activeSelectorRevision,
      String previewSelectorRevision,
      boolean smokeTestDue,
      Optional<Duration> requeueAfter,
      List<Announcement> announcements,
      Set<Command> consumed) {}

  private BlueGreenRollout() {}

  /** The next step: what the status remembers is brought up to date, then its stage decides. */
  public static Decision decide(Input in) {
    BlueGreenStep step = new BlueGreenStep(in);
    forgetVanished(step);
    if (step.st.getActiveRevision() == null) {
      // The first revision becomes active without checks: there is nothing to compare it with.
      step.st.setActiveRevision(in.desiredRevision());
      step.st.setAttemptStartedAt(step.now.toString());
      step.st.setPreviewRevision(null);
    }
    BlueGreenCommands.apply(step);
    BlueGreenStage.of(step).handle(step);
    return step.decision();
  }

  /** Revisions whose Deployment was deleted by someone cannot be switched to. */
  private static void forgetVanished(BlueGreenStep step) {
    RolloutStatus st = step.st;
    Map<String, Revision> revisions = step.in.revisions();
    if (st.getActiveRevision() != null
        && !st.getActiveRevision().equals(step.in.desiredRevision())
        && !revisions.containsKey(st.getActiveRevision())) {
      st.setActiveRevision(null);
      st.setSwitchedAt(null);
    }
    if (st.getPreviousRevision() != null && !revisions.containsKey(st.getPreviousRevision())) {
      st.setPreviousRevision(null);
    }
    if (st.getRollbackRevision() != null && !revisions.containsKey(st.getRollbackRevision())) {
      st.setRollbackRevision(null);
    }
  }

  /**
   * Attempts of a smoke test that get no answer before it fails. The preview's EndpointSlices can
   * list its pods before every kube-proxy has programmed the Service (a refused or dropped
   * connection for a moment), while a wrong answer is the model's and fails at once.
   */
  public static final int SMOKE_TEST_ATTEMPTS = 5;

  /** After attempt n without an answer the next waits 2^(n-1) seconds: 1, 2, 4, 8. */
  static Instant retryAt(SmokeTestResult unanswered) {
    return Instant.parse(unanswered.getTime())
        .plusSeconds(1L << Math.min(unanswered.getAttempt() - 1, 4));
  }
}
