package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.api.v1alpha1.CanaryStatus;
import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.rollout.SmokeTestCheck;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The canary state machine, pure: from the last rollout status, what the informers show, the user's
 * commands and the results of checks just run it decides the next status and the replicas of the
 * stable and the canary revision Deployment. Both run behind the one Service, so the share of
 * traffic follows the share of ready pods. The status is the only memory: a restarted operator
 * resumes at the step it recorded.
 *
 * <p>A weight step scales the canary up first; the stable version gives up a pod only for each
 * canary pod that is ready and listed by the Service, so capacity never drops below replicas. At
 * the first weight the canary's smoke test runs through the preview Service. A pause is analysed
 * every analysis interval from the pods' own metrics; a failed analysis aborts at once, the end of
 * a pause needs a passed one (or an inconclusive one with inconclusive: Pass). After the last step
 * the canary takes every replica and becomes the stable version.
 */
final class CanaryRollout {

  private CanaryRollout() {}

  static CanaryDecision decide(CanaryInput in) {
    CanaryProgress p = new CanaryProgress(in);
    RolloutStatus st = p.st;
    String desired = p.desired();
    if (st.getActiveRevision() != null
        && !st.getActiveRevision().equals(desired)
        && !in.revisions().containsKey(st.getActiveRevision())) {
      // The stable version's Deployment and snapshot are gone: nothing to compare with.
      st.setActiveRevision(null);
    }
    if (st.getActiveRevision() == null || in.replicas() == 0) {
      // The first revision, or one with no pods to compare, becomes stable without steps.
      st.setActiveRevision(desired);
      st.setPreviewRevision(null);
      st.setAttemptStartedAt(p.now.toString());
    }
    commands(p);
    if (desired.equals(st.getActiveRevision())) {
      stable(p);
      return p.decision(Map.of(desired, in.replicas()));
    }
    if (desired.equals(st.getAbortedRevision())) {
      return p.decision(afterAbort(p));
    }
    if (!desired.equals(st.getPreviewRevision())) {
      start(p);
    }
    steps(p);
    if (desired.equals(st.getAbortedRevision())) {
      return p.decision(afterAbort(p));
    }
    if (desired.equals(st.getActiveRevision())) {
      return p.decision(Map.of(desired, in.replicas()));
    }
    return p.decision(running(p));
  }

  /** Retry and abort act at once; promote skips the pause the canary is in. */
  private static void commands(CanaryProgress p) {
    RolloutStatus st = p.st;
    String desired = p.desired();
    if (p.in.commands().contains(RolloutCommand.RETRY)) {
      p.consume(RolloutCommand.RETRY);
      if (desired.equals(st.getAbortedRevision())) {
        st.setAbortedRevision(null);
        st.setPreviewRevision(null);
        p.announce(false, Reason.RolloutRetried, "retrying canary revision " + desired);
      }
    }
    if (p.in.commands().contains(RolloutCommand.ABORT)) {
      p.consume(RolloutCommand.ABORT);
      if (desired.equals(st.getPreviewRevision()) && !desired.equals(st.getAbortedRevision())) {
        p.abort(desired, ConditionReason.Aborted, "by the user (annotation inferops.dev/abort)");
      }
    }
    if (p.in.commands().contains(RolloutCommand.ROLLBACK)) {
      p.consume(RolloutCommand.ROLLBACK);
      p.announce(
          true,
          Reason.RollbackFailed,
          "inferops.dev/rollback applies to blue-green; a canary is stopped with inferops.dev/abort,"
              + " and a promoted one is undone by setting the old image again");
    }
  }

  /**
   * The spec's revision is the stable one: it runs alone at replicas. The last canary's status
   * stays as its record until the next one starts.
   */
  private static void stable(CanaryProgress p) {
    RolloutStatus st = p.st;
    String desired = p.desired();
    st.setPreviewRevision(null);
    st.setAbortedRevision(null);
    noCanaryPods(st);
    int ready = CanaryProgress.ready(p.in.revisions().get(desired));
    if (ready >= p.in.replicas()) {
      p.set(RolloutPhase.Healthy, ConditionReason.Complete, "revision " + desired + " serves");
    } else {
      p.set(
          RolloutPhase.Progressing,
          ConditionReason.WaitingForPods,
          ready
              + " of "
              + p.in.replicas()
              + " pods of revision "
              + desired
              + " ready"
              + p.problem(desired));
    }
  }

  /** No canary runs: the printer column goes blank, the rest of the record stays. */
  private static void noCanaryPods(RolloutStatus st) {
    if (st.getCanary() != null) {
      st.getCanary().setReachedWeight(null);
    }
  }

  /** A new canary attempt of the spec's revision, from its first step. */
  private static void start(CanaryProgress p) {
    RolloutStatus st = p.st;
    String desired = p.desired();
    st.setPreviewRevision(desired);
    st.setAttemptStartedAt(p.now.toString());
    CanaryStatus canary = new CanaryStatus();
    canary.setStep(0);
    canary.setSteps(p.cfg.steps().size());
    canary.setStepStartedAt(p.now.toString());
    canary.setAnalysis(p.cfg.analysisEnabled() ? "On" : "Off");
    canary.setAnalyses(List.of());
    st.setCanary(canary);
    p.announce(
        false,
        Reason.RolloutStarted,
        "canary revision "
            + desired
            + " ("
            + p.in.desiredImage()
            + ") starts next to stable revision "
            + st.getActiveRevision()
            + ": "
            + p.cfg.steps().size()
            + " steps");
  }

  /** Works through the steps as far as this reconcile can. */
  private static void steps(CanaryProgress p) {
    List<CanaryStep> steps = p.cfg.steps();
    boolean promote = p.in.commands().contains(RolloutCommand.PROMOTE);
    // Each pass finishes a step or stops; the bound only guards against a mistake.
    for (int pass = 0; pass <= steps.size() + 1; pass++) {
      CanaryStatus canary = p.canary();
      int index = canary.getStep();
      int weight = weightAt(steps, index);
      int target =
          index >= steps.size() ? p.in.replicas() : canaryReplicas(weight, p.in.replicas());
      canary.setWeight(index >= steps.size() ? 100 : weight);
      canary.setCanaryReplicas(target);
      reached(p);
      if (index >= steps.size()) {
        finish(p);
        return;
      }
      CanaryStep step = steps.get(index);
      boolean done =
          step.getSetWeight() != null
              ? weightReached(p, index, target)
              : CanaryPauses.over(p, index, step.getPause(), target, promote);
      if (!done || p.desired().equals(p.st.getAbortedRevision())) {
        return;
      }
      promote = promote && step.getSetWeight() != null;
      advance(p, index);
    }
  }

  /** The weight of step {@code index}: the last one set at or before it, 0 before the first. */
  static int weightAt(List<CanaryStep> steps, int index) {
    int weight = 0;
    for (int i = 0; i <= Math.min(index, steps.size() - 1); i++) {
      if (steps.get(i).getSetWeight() != null) {
        weight = steps.get(i).getSetWeight();
      }
    }
    return weight;
  }

  /** The canary's pods for {@code weight} percent of {@code replicas}: the nearest, at least 1. */
  static int canaryReplicas(int weight, int replicas) {
    if (weight <= 0 || replicas == 0) {
      return 0;
    }
    return (int) Math.max(1, Math.min(replicas, Math.round(weight * replicas / 100.0)));
  }

  /** Writes the weight asked and the share of the Service's ready pods the canary has. */
  private static void reached(CanaryProgress p) {
    CanaryStatus canary = p.canary();
    int canaryListed = p.canaryListed();
    int listed = canaryListed + p.stableListed();
    int reached = listed == 0 ? 0 : Math.round(canaryListed * 100f / listed);
    canary.setReachedWeight(reached);
    canary.setWeightMessage(
        "asked "
            + canary.getWeight()
            + " %, got "
            + canary.getCanaryReplicas()
            + " of "
            + p.in.replicas()
            + " = "
            + (p.in.replicas() == 0
                ? 0
                : Math.round(canary.getCanaryReplicas() * 100f / p.in.replicas()))
            + " %; now "
            + canaryListed
            + " of "
            + listed
            + " ready pods behind the Service = "
            + reached
            + " %");
  }

  /**
   * A weight step: done once the canary's pods for it are ready and listed (smoke-tested first).
   */
  private static boolean weightReached(CanaryProgress p, int index, int target) {
    String where = "step " + (index + 1) + " of " + p.cfg.steps().size() + ": ";
    if (!canaryPodsUp(p, target, ConditionReason.SettingCanaryWeight, where)) {
      return false;
    }
    if (target > 0 && p.cfg.smokeTestEnabled()) {
      if (p.in.previewListed() < 1) {
        p.set(
            RolloutPhase.Progressing,
            ConditionReason.WaitingForPreviewEndpoints,
            "waiting for the preview Service to list a canary pod for the smoke test");
        return false;
      }
      if (!SmokeTestCheck.passed(p)) {
        return false;
      }
    }
    return true;
  }

  private static void advance(CanaryProgress p, int index) {
    CanaryStatus canary = p.canary();
    CanaryStep step = p.cfg.steps().get(index);
    if (step.getSetWeight() != null) {
      p.announce(
          false,
          Reason.CanaryAdvanced,
          "step " + (index + 1) + " of " + p.cfg.steps().size() + ": " + canary.getWeightMessage());
    }
    canary.setStep(index + 1);
    canary.setStepStartedAt(p.now.toString());
  }

  /** Every step passed: the canary scales to replicas, then becomes the stable version. */
  private static void finish(CanaryProgress p) {
    RolloutStatus st = p.st;
    String desired = p.desired();
    int replicas = p.in.replicas();
    if (!canaryPodsUp(p, replicas, ConditionReason.PromotingCanary, "every step passed; ")) {
      return;
    }
    String stable = st.getActiveRevision();
    st.setPreviousRevision(stable);
    st.setActiveRevision(desired);
    st.setPreviewRevision(null);
    noCanaryPods(st);
    p.set(
        RolloutPhase.Healthy,
        ConditionReason.Complete,
        "canary revision "
            + desired
            + " promoted after "
            + p.cfg.steps().size()
            + " steps; it replaced revision "
            + stable);
    p.announce(false, Reason.Promoted, st.getMessage());
  }

  /**
   * Whether {@code target} canary pods are ready and listed by the Service; else it waits, saying
   * so with {@code reason}, or aborts once the progress deadline passed. The deadline counts from
   * the start of the current step, as a pause may last as long as the user likes; only a weight's
   * pods have to come up in time.
   */
  private static boolean canaryPodsUp(
      CanaryProgress p, int target, ConditionReason reason, String where) {
    String desired = p.desired();
    RevisionState canary = p.in.revisions().get(desired);
    if (canary != null && canary.caughtUp() && p.canaryListed() >= target) {
      return true;
    }
    String pods =
        p.canaryListed() + " of " + target + " canary pods ready and listed by the Service";
    Instant deadline =
        Instant.parse(p.canary().getStepStartedAt()).plusSeconds(p.cfg.progressDeadlineSeconds());
    if (!p.now.isBefore(deadline)) {
      p.abort(
          desired,
          ConditionReason.ProgressDeadlineExceeded,
          pods + " after " + p.cfg.progressDeadlineSeconds() + " s" + p.problem(desired));
    } else {
      p.wake(deadline);
      p.set(RolloutPhase.Progressing, reason, where + pods + p.problem(desired));
    }
    return false;
  }

  /**
   * While the canary runs: the canary at its step's pods, the stable version at replicas less the
   * canary pods the Service already routes to.
   */
  private static Map<String, Integer> running(CanaryProgress p) {
    Map<String, Integer> replicas = new LinkedHashMap<>();
    int target = p.canary().getCanaryReplicas();
    int stable = p.in.replicas() - Math.min(target, p.canaryListed());
    replicas.put(p.st.getActiveRevision(), stable);
    replicas.put(p.desired(), target);
    return replicas;
  }

  /**
   * After an abort: the stable version back at replicas; the canary gives up a pod for each stable
   * pod ready beyond replicas less its own, so the Service is never left without ready pods.
   */
  private static Map<String, Integer> afterAbort(CanaryProgress p) {
    RolloutStatus st = p.st;
    String aborted = st.getAbortedRevision();
    Map<String, Integer> replicas = new LinkedHashMap<>();
    replicas.put(st.getActiveRevision(), p.in.replicas());
    int stableReady = CanaryProgress.ready(p.in.revisions().get(st.getActiveRevision()));
    int canarySpec =
        Optional.ofNullable(p.in.revisions().get(aborted))
            .map(RevisionState::specReplicas)
            .orElse(0);
    replicas.put(aborted, Math.max(0, Math.min(canarySpec, p.in.replicas() - stableReady)));
    if (st.getCanary() != null) {
      st.getCanary().setCanaryReplicas(replicas.get(aborted));
      reached(p);
    }
    return replicas;
  }
}
