package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.RolloutStatusBuilder;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RevisionRolloutStep;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One blue-green decision while it is made: the input, the status it changes (a copy of the last
 * one), and what it asks for besides: Events, consumed commands, a wake-up, a smoke test.
 */
final class BlueGreenStep extends RevisionRolloutStep {

  final BlueGreenInput in;
  final BlueGreenSettings cfg;
  final Instant now;
  final RolloutStatus st;
  private String shadowSource;
  private boolean shadowReadingDue;

  BlueGreenStep(BlueGreenInput in) {
    super(
        copy(in.previous()),
        in.now(),
        in.desiredRevision(),
        in.desiredImage(),
        in.revisions(),
        in.smokeTest());
    this.in = in;
    this.cfg = in.settings();
    this.now = in.now();
    this.st = status();
  }

  /** The pods the preview runs while it is checked: previewReplicaCount, at most replicas. */
  int previewReplicas() {
    return cfg.previewReplicaCount() > 0
        ? Math.min(cfg.previewReplicaCount(), in.replicas())
        : in.replicas();
  }

  /** When the current attempt runs out of time. */
  Instant deadline() {
    Instant start =
        st.getAttemptStartedAt() == null ? now : Instant.parse(st.getAttemptStartedAt());
    return start.plusSeconds(cfg.progressDeadlineSeconds());
  }

  /** When the revision replaced by the last switch may lose its pods. */
  Optional<Instant> scaleDownAt() {
    if (st.getSwitchedAt() == null || st.getPreviousRevision() == null) {
      return Optional.empty();
    }
    return Optional.of(Instant.parse(st.getSwitchedAt()).plusSeconds(cfg.scaleDownDelaySeconds()));
  }

  /** The pods of {@code revision} copy requests to the preview while this decision holds. */
  void shadowFrom(String revision) {
    shadowSource = revision;
  }

  /** The live pods' shadow counters are to be read, and the decision made again with them. */
  void shadowReadingDue() {
    shadowReadingDue = true;
  }

  @Override
  public void abort(String revision, ConditionReason reason, String message) {
    st.setAbortedRevision(revision);
    st.setVerifiedAt(null);
    st.setPromotionStartedAt(null);
    set(RolloutPhase.Degraded, reason, "revision " + revision + " aborted: " + message);
    announce(true, Reason.RolloutAborted, st.getMessage());
  }

  static int ready(RevisionState r) {
    return r == null ? 0 : r.readyPods();
  }

  /** The revision's worst pod problem as the end of a message; "" for none. */
  static String problem(RevisionState r) {
    return r == null || r.problem() == null ? "" : "; " + r.problem();
  }

  /**
   * The decision; the status's images and both Services' selectors follow from its revisions, the
   * replicas of every revision Deployment from {@code replicas}, applied to this step once its
   * status is settled.
   */
  BlueGreenDecision decision(Function<BlueGreenStep, Map<String, Integer>> replicas) {
    if (in.commands().contains(RolloutCommand.PROMOTE)
        && st.getPhase() != RolloutPhase.Progressing
        && st.getPhase() != RolloutPhase.Paused) {
      // Nothing to promote: the command is spent rather than waiting for a future rollout.
      consume(RolloutCommand.PROMOTE);
    }
    if (st.getPreviewRevision() == null) {
      st.setPromotionStartedAt(null);
    }
    recordImages();

    // The first revision takes the active Service only once all its pods are ready: until then
    // (it is the only revision and nothing was ever switched) the Service selects every pod of
    // the InferenceService, so the pods of the workload it replaces (a rolling Deployment, a
    // ReplicaSet) keep serving meanwhile. Decided from what is observed on every reconcile.
    String active = st.getActiveRevision();
    boolean alone = in.revisions().keySet().stream().allMatch(r -> r.equals(active));
    boolean activeRuns =
        Optional.ofNullable(in.revisions().get(active))
            .map(r -> r.runs(in.replicas()))
            .orElse(false);
    String activeSelector = alone && st.getSwitchedAt() == null && !activeRuns ? null : active;
    String previewSelector =
        Optional.ofNullable(st.getPreviewRevision())
            .or(() -> Optional.ofNullable(st.getRollbackRevision()))
            .orElse(st.getActiveRevision());
    return new BlueGreenDecision(
        st,
        replicas.apply(this),
        activeSelector,
        previewSelector,
        // Copies go to a preview under test only; once promoted the preview Service is the new
        // version and the live pods the old one.
        st.getPreviewRevision() != null
                && st.getVerifiedAt() != null
                && st.getPromotionStartedAt() == null
            ? shadowSource
            : null,
        smokeTestAsked(),
        shadowReadingDue,
        requeueAfter(),
        announced(),
        consumedCommands());
  }

  /** A copy to change; a canary's record is not blue-green's. */
  private static RolloutStatus copy(RolloutStatus s) {
    return s == null ? new RolloutStatus() : new RolloutStatusBuilder(s).withCanary(null).build();
  }
}
