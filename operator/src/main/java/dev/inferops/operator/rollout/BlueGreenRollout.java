package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.status.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The blue-green state machine, pure: from the last rollout status, what the informers show and the
 * user's commands it decides the next status, the replicas of every revision Deployment and where
 * the two Services point. The status is the only memory, so a restarted operator resumes.
 *
 * <p>Order of the checks before a switch: all new pods ready, the preview Service's endpoints list
 * them, the smoke test passed, then the promotion gate (auto, after autoPromotionSeconds, or the
 * promote command).
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

  public static Decision decide(Input in) {
    return new Step(in).run();
  }

  /** The working state of one decision. */
  private static final class Step {
    private final Input in;
    private final Settings cfg;
    private final Instant now;
    private final RolloutStatus st;
    private final List<Announcement> announcements = new ArrayList<>();
    private final Set<Command> consumed = EnumSet.noneOf(Command.class);
    private Instant wakeUp;
    private boolean smokeTestDue;

    Step(Input in) {
      this.in = in;
      this.cfg = in.settings();
      this.now = in.now();
      this.st = copy(in.previous());
    }

    /** The pods the preview runs while it is checked: previewReplicaCount, at most replicas. */
    private int previewReplicas() {
      return cfg.previewReplicaCount() > 0
          ? Math.min(cfg.previewReplicaCount(), in.replicas())
          : in.replicas();
    }

    Decision run() {
      String desired = in.desiredRevision();
      forgetVanished(desired);
      boolean initial = st.getActiveRevision() == null;
      if (initial) {
        st.setActiveRevision(desired);
        st.setAttemptStartedAt(now.toString());
        st.setPreviewRevision(null);
      }
      handleCommands(desired);

      if (st.getRollbackRevision() != null) {
        rollBack();
      } else if (desired.equals(st.getActiveRevision())) {
        settle(desired);
      } else if (desired.equals(st.getAbortedRevision())) {
        st.setPhase(RolloutPhase.Degraded);
      } else {
        attempt(desired);
      }
      if (in.commands().contains(Command.PROMOTE)
          && st.getPhase() != RolloutPhase.Progressing
          && st.getPhase() != RolloutPhase.Paused) {
        // Nothing to promote: the command is spent rather than waiting for a future rollout.
        consumed.add(Command.PROMOTE);
      }
      if (st.getPreviewRevision() == null) {
        st.setPromotionStartedAt(null);
      }
      st.setActiveImage(image(st.getActiveRevision()));
      st.setPreviewImage(st.getPreviewRevision() == null ? null : image(st.getPreviewRevision()));

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
      return new Decision(
          st,
          replicas(desired),
          activeSelector,
          previewSelector,
          smokeTestDue,
          Optional.ofNullable(wakeUp).map(t -> Duration.between(now, t)),
          List.copyOf(announcements),
          Set.copyOf(consumed));
    }

    /** Revisions whose Deployment was deleted by someone cannot be switched to. */
    private void forgetVanished(String desired) {
      if (st.getActiveRevision() != null
          && !st.getActiveRevision().equals(desired)
          && !in.revisions().containsKey(st.getActiveRevision())) {
        st.setActiveRevision(null);
        st.setSwitchedAt(null);
      }
      if (st.getPreviousRevision() != null
          && !in.revisions().containsKey(st.getPreviousRevision())) {
        st.setPreviousRevision(null);
      }
      if (st.getRollbackRevision() != null
          && !in.revisions().containsKey(st.getRollbackRevision())) {
        st.setRollbackRevision(null);
      }
    }

    private void handleCommands(String desired) {
      Set<Command> commands = in.commands();
      if (commands.contains(Command.RETRY)) {
        consumed.add(Command.RETRY);
        if (desired.equals(st.getAbortedRevision())) {
          st.setAbortedRevision(null);
          st.setPreviewRevision(null);
          announce(false, Reason.RolloutRetried, "retrying revision " + desired);
        }
      }
      if (commands.contains(Command.ABORT)) {
        consumed.add(Command.ABORT);
        String preview = st.getPreviewRevision();
        if (preview != null
            && !preview.equals(st.getActiveRevision())
            && !preview.equals(st.getAbortedRevision())) {
          abort(
              preview,
              ConditionReason.Aborted,
              "aborted by the user (annotation inferops.dev/abort)");
        }
      }
      if (commands.contains(Command.ROLLBACK)) {
        consumed.add(Command.ROLLBACK);
        String target = st.getPreviousRevision();
        if (target == null) {
          announce(true, Reason.RollbackFailed, "no previous revision to roll back to");
        } else {
          st.setRollbackRevision(target);
          st.setAttemptStartedAt(now.toString());
          announce(false, Reason.RollingBack, "rolling back to revision " + target);
        }
      }
    }

    /** A rollback switches as soon as the old revision runs all replicas: at once while kept. */
    private void rollBack() {
      String target = st.getRollbackRevision();
      Revision r = in.revisions().get(target);
      if (r != null && r.runs(in.replicas())) {
        String from = st.getActiveRevision();
        st.setAbortedRevision(from);
        st.setPreviousRevision(from);
        st.setActiveRevision(target);
        st.setRollbackRevision(null);
        st.setPreviewRevision(null);
        st.setVerifiedAt(null);
        st.setSwitchedAt(now.toString());
        set(
            RolloutPhase.Degraded,
            ConditionReason.RolledBack,
            "rolled back from revision "
                + from
                + " to "
                + target
                + "; revision "
                + from
                + " is not tried again until the spec changes or inferops.dev/retry is set");
        announce(true, Reason.RolledBack, st.getMessage());
        return;
      }
      Instant deadline = deadline();
      if (!now.isBefore(deadline)) {
        st.setRollbackRevision(null);
        set(
            RolloutPhase.Degraded,
            ConditionReason.RollbackFailed,
            "revision "
                + target
                + " did not run "
                + in.replicas()
                + " ready pods within "
                + cfg.progressDeadlineSeconds()
                + "s"
                + problem(r));
        announce(true, Reason.RollbackFailed, st.getMessage());
        return;
      }
      wake(deadline);
      set(
          RolloutPhase.Progressing,
          ConditionReason.RollingBack,
          "scaling revision " + target + " back up: " + ready(r) + " pods ready");
    }

    /** The spec's revision is active: wait out the scale-down delay, then healthy. */
    private void settle(String desired) {
      st.setPreviewRevision(null);
      st.setVerifiedAt(null);
      if (desired.equals(st.getAbortedRevision())) {
        st.setAbortedRevision(null);
      }
      Revision active = in.revisions().get(desired);
      boolean runs = active != null && active.runs(in.replicas());
      if (!runs && st.getSwitchedAt() == null) {
        Instant deadline = deadline();
        if (!now.isBefore(deadline)) {
          set(
              RolloutPhase.Degraded,
              ConditionReason.ProgressDeadlineExceeded,
              ready(active)
                  + " pods ready after "
                  + cfg.progressDeadlineSeconds()
                  + "s"
                  + problem(active));
        } else {
          wake(deadline);
          set(
              RolloutPhase.Progressing,
              ConditionReason.WaitingForPods,
              ready(active) + " pods ready");
        }
        return;
      }
      Optional<Instant> scaleDown = scaleDownAt();
      if (scaleDown.isPresent() && now.isBefore(scaleDown.get())) {
        wake(scaleDown.get());
        set(
            RolloutPhase.Promoting,
            ConditionReason.ScaleDownDelay,
            "active revision "
                + desired
                + "; revision "
                + st.getPreviousRevision()
                + " keeps its pods until "
                + scaleDown.get());
        return;
      }
      set(RolloutPhase.Healthy, ConditionReason.Complete, "revision " + desired + " is active");
    }

    /** The spec's revision is new: bring it up as the preview, check it, promote it. */
    private void attempt(String desired) {
      if (!desired.equals(st.getPreviewRevision())) {
        st.setPreviewRevision(desired);
        st.setAttemptStartedAt(now.toString());
        st.setVerifiedAt(null);
        st.setPromotionStartedAt(null);
        announce(
            false,
            Reason.RolloutStarted,
            "revision "
                + desired
                + " ("
                + in.desiredImage()
                + ") comes up next to active revision "
                + st.getActiveRevision());
      }
      Revision preview = in.revisions().get(desired);
      if (st.getPromotionStartedAt() != null) {
        switchWhenScaledUp(desired, preview);
        return;
      }
      int checked = previewReplicas();
      boolean podsReady = preview != null && preview.runs(checked);
      boolean endpointsReady =
          desired.equals(in.previewServiceRevision()) && in.previewReadyEndpoints() >= checked;
      if (!podsReady || !endpointsReady) {
        st.setVerifiedAt(null);
        Instant deadline = deadline();
        if (!now.isBefore(deadline)) {
          abort(
              desired,
              ConditionReason.ProgressDeadlineExceeded,
              !podsReady
                  ? ready(preview)
                      + "/"
                      + checked
                      + " new pods ready after "
                      + cfg.progressDeadlineSeconds()
                      + "s"
                      + problem(preview)
                  : "the preview Service lists "
                      + in.previewReadyEndpoints()
                      + "/"
                      + checked
                      + " ready endpoints after "
                      + cfg.progressDeadlineSeconds()
                      + "s");
          return;
        }
        wake(deadline);
        if (!podsReady) {
          set(
              RolloutPhase.Progressing,
              ConditionReason.WaitingForPreviewPods,
              ready(preview) + "/" + checked + " new pods ready" + problem(preview));
        } else {
          set(
              RolloutPhase.Progressing,
              ConditionReason.WaitingForPreviewEndpoints,
              "the preview Service lists "
                  + in.previewReadyEndpoints()
                  + "/"
                  + checked
                  + " ready endpoints");
        }
        return;
      }
      if (st.getVerifiedAt() == null) {
        if (cfg.smokeTestEnabled() && !passed(desired)) {
          Optional<SmokeTestResult> unanswered = unansweredAttempt(desired);
          if (in.smokeTest().isEmpty()) {
            Instant retryAt = unanswered.map(BlueGreenRollout::retryAt).orElse(now);
            if (now.isBefore(retryAt)) {
              wake(retryAt);
              set(
                  RolloutPhase.Progressing,
                  ConditionReason.RetryingSmokeTest,
                  retrying(unanswered.get()));
              return;
            }
            smokeTestDue = true;
            set(
                RolloutPhase.Progressing,
                ConditionReason.RunningSmokeTest,
                "smoke test of revision " + desired);
            return;
          }
          SmokeTestResult result = copy(in.smokeTest().get());
          result.setAttempt(unanswered.map(r -> r.getAttempt() + 1).orElse(1));
          st.setSmokeTest(result);
          if (!Boolean.TRUE.equals(result.getPassed())) {
            if (Boolean.FALSE.equals(result.getAnswered())
                && result.getAttempt() < SMOKE_TEST_ATTEMPTS) {
              wake(retryAt(result));
              set(RolloutPhase.Progressing, ConditionReason.RetryingSmokeTest, retrying(result));
              return;
            }
            abort(
                desired,
                ConditionReason.SmokeTestFailed,
                result.getMessage()
                    + (result.getAttempt() > 1
                        ? " (attempt " + result.getAttempt() + " of " + SMOKE_TEST_ATTEMPTS + ")"
                        : ""));
            return;
          }
          announce(false, Reason.SmokeTestPassed, result.getMessage());
        }
        st.setVerifiedAt(now.toString());
        announce(
            false,
            Reason.PreviewVerified,
            "revision "
                + desired
                + ": pods ready, listed by the preview Service"
                + (cfg.smokeTestEnabled() ? ", smoke test passed" : ", smoke test disabled"));
      }
      Instant verified = Instant.parse(st.getVerifiedAt());
      Instant autoAt = verified.plusSeconds(cfg.autoPromotionSeconds());
      boolean promote =
          in.commands().contains(Command.PROMOTE) || (cfg.autoPromotion() && !now.isBefore(autoAt));
      if (promote) {
        consumed.add(Command.PROMOTE);
        st.setPromotionStartedAt(now.toString());
        switchWhenScaledUp(desired, preview);
        return;
      }
      if (cfg.autoPromotion()) {
        wake(autoAt);
        set(RolloutPhase.Paused, ConditionReason.AutoPromotionPending, "promotion at " + autoAt);
      } else {
        set(
            RolloutPhase.Paused,
            ConditionReason.AwaitingPromotion,
            "revision "
                + desired
                + " passed every check; promote with: kubectl annotate inferenceservice <name>"
                + " inferops.dev/promote=true");
      }
    }

    /**
     * Promotion: a preview checked at fewer pods first runs every replica, so the switch never
     * leaves the active Service short and all old and all new pods exist at one moment.
     */
    private void switchWhenScaledUp(String desired, Revision preview) {
      if (preview != null && preview.runs(in.replicas())) {
        String from = st.getActiveRevision();
        st.setPreviousRevision(from);
        st.setActiveRevision(desired);
        st.setPreviewRevision(null);
        st.setVerifiedAt(null);
        st.setPromotionStartedAt(null);
        st.setSwitchedAt(now.toString());
        announce(
            false,
            Reason.Promoted,
            "the Service switched from revision " + from + " to " + desired);
        settle(desired);
        return;
      }
      Instant deadline =
          Instant.parse(st.getPromotionStartedAt()).plusSeconds(cfg.progressDeadlineSeconds());
      String progress = ready(preview) + "/" + in.replicas() + " pods ready";
      if (!now.isBefore(deadline)) {
        abort(
            desired,
            ConditionReason.ProgressDeadlineExceeded,
            progress
                + " "
                + cfg.progressDeadlineSeconds()
                + "s after promotion began"
                + problem(preview));
        return;
      }
      wake(deadline);
      set(
          RolloutPhase.Promoting,
          ConditionReason.ScalingUpPreview,
          "revision " + desired + " scales up before the switch: " + progress + problem(preview));
    }

    private void abort(String revision, ConditionReason reason, String message) {
      st.setAbortedRevision(revision);
      st.setVerifiedAt(null);
      st.setPromotionStartedAt(null);
      set(RolloutPhase.Degraded, reason, "revision " + revision + " aborted: " + message);
      announce(true, Reason.RolloutAborted, st.getMessage());
    }

    private Map<String, Integer> replicas(String desired) {
      Map<String, Integer> replicas = new LinkedHashMap<>();
      String active = st.getActiveRevision();
      String preview = st.getPreviewRevision();
      boolean rollingOut =
          (preview != null && !preview.equals(st.getAbortedRevision()))
              || st.getRollbackRevision() != null;
      int activeReplicas = in.replicas();
      Revision current = in.revisions().get(active);
      if (rollingOut && current != null) {
        // A scale-down during a rollout waits for its end: the active version keeps serving.
        activeReplicas = Math.max(activeReplicas, current.specReplicas());
      }
      replicas.put(active, activeReplicas);
      if (preview != null && !preview.equals(active)) {
        int count =
            preview.equals(st.getAbortedRevision())
                ? 0
                : st.getPromotionStartedAt() != null ? in.replicas() : previewReplicas();
        replicas.put(preview, count);
      }
      if (st.getRollbackRevision() != null) {
        replicas.put(st.getRollbackRevision(), in.replicas());
      }
      String previous = st.getPreviousRevision();
      // An aborted or rolled-back revision goes at once; only a replaced good one is kept warm.
      boolean kept =
          scaleDownAt().map(now::isBefore).orElse(false)
              && !Objects.equals(previous, st.getAbortedRevision());
      if (previous != null && kept) {
        replicas.putIfAbsent(previous, in.replicas());
      }
      replicas.putIfAbsent(desired, 0);
      List<String> history = new ArrayList<>();
      if (previous != null && !replicas.containsKey(previous)) {
        history.add(previous);
      }
      in.revisions().values().stream()
          .sorted(
              Comparator.comparing(
                      Revision::created, Comparator.nullsLast(Comparator.reverseOrder()))
                  .thenComparing(Revision::revision))
          .map(Revision::revision)
          .filter(r -> !replicas.containsKey(r) && !history.contains(r))
          .forEach(history::add);
      int keep = Math.max(0, cfg.revisionHistoryLimit() - (kept ? 1 : 0));
      history.stream().limit(keep).forEach(r -> replicas.put(r, 0));
      return replicas;
    }

    private Optional<Instant> scaleDownAt() {
      if (st.getSwitchedAt() == null || st.getPreviousRevision() == null) {
        return Optional.empty();
      }
      return Optional.of(
          Instant.parse(st.getSwitchedAt()).plusSeconds(cfg.scaleDownDelaySeconds()));
    }

    /**
     * The last attempt of this rollout attempt's smoke test when it got no answer: the next one
     * counts on from it. A result from before the attempt started (an earlier try of the same
     * revision, before a retry) does not count.
     */
    private Optional<SmokeTestResult> unansweredAttempt(String revision) {
      SmokeTestResult last = st.getSmokeTest();
      if (last == null
          || !revision.equals(last.getRevision())
          || !Boolean.FALSE.equals(last.getAnswered())
          || last.getAttempt() == null
          || last.getTime() == null
          || (st.getAttemptStartedAt() != null
              && Instant.parse(last.getTime()).isBefore(Instant.parse(st.getAttemptStartedAt())))) {
        return Optional.empty();
      }
      return Optional.of(last);
    }

    private String retrying(SmokeTestResult unanswered) {
      return "smoke test attempt "
          + unanswered.getAttempt()
          + " of "
          + SMOKE_TEST_ATTEMPTS
          + " got no answer, next at "
          + retryAt(unanswered)
          + ": "
          + unanswered.getMessage();
    }

    private boolean passed(String revision) {
      SmokeTestResult last = st.getSmokeTest();
      return last != null
          && revision.equals(last.getRevision())
          && Boolean.TRUE.equals(last.getPassed());
    }

    private Instant deadline() {
      Instant start =
          st.getAttemptStartedAt() == null ? now : Instant.parse(st.getAttemptStartedAt());
      return start.plusSeconds(cfg.progressDeadlineSeconds());
    }

    private String image(String revision) {
      if (revision.equals(in.desiredRevision())) {
        return in.desiredImage();
      }
      return Optional.ofNullable(in.revisions().get(revision)).map(Revision::image).orElse(null);
    }

    private void wake(Instant at) {
      if (wakeUp == null || at.isBefore(wakeUp)) {
        wakeUp = at;
      }
    }

    private void set(RolloutPhase phase, ConditionReason reason, String message) {
      st.setPhase(phase);
      st.setReason(reason.name());
      st.setMessage(message);
    }

    private void announce(boolean warning, Reason reason, String message) {
      announcements.add(new Announcement(warning, reason, message));
    }

    private static int ready(Revision r) {
      return r == null ? 0 : r.readyPods();
    }

    private static String problem(Revision r) {
      return r == null || r.problem() == null ? "" : "; " + r.problem();
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

  private static SmokeTestResult copy(SmokeTestResult s) {
    SmokeTestResult c = new SmokeTestResult();
    c.setRevision(s.getRevision());
    c.setPassed(s.getPassed());
    c.setAnswered(s.getAnswered());
    c.setAttempt(s.getAttempt());
    c.setMessage(s.getMessage());
    c.setTime(s.getTime());
    return c;
  }

  private static RolloutStatus copy(RolloutStatus s) {
    RolloutStatus c = new RolloutStatus();
    if (s == null) {
      return c;
    }
    c.setPhase(s.getPhase());
    c.setReason(s.getReason());
    c.setMessage(s.getMessage());
    c.setActiveRevision(s.getActiveRevision());
    c.setActiveImage(s.getActiveImage());
    c.setPreviewRevision(s.getPreviewRevision());
    c.setPreviewImage(s.getPreviewImage());
    c.setPreviousRevision(s.getPreviousRevision());
    c.setAbortedRevision(s.getAbortedRevision());
    c.setRollbackRevision(s.getRollbackRevision());
    c.setAttemptStartedAt(s.getAttemptStartedAt());
    c.setVerifiedAt(s.getVerifiedAt());
    c.setSwitchedAt(s.getSwitchedAt());
    c.setPromotionStartedAt(s.getPromotionStartedAt());
    c.setSmokeTest(s.getSmokeTest());
    return c;
  }
}
