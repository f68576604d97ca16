package dev.inferops.operator.rollout.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.analysis.Verdict;
import dev.inferops.operator.analysis.VerdictKind;
import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.CanaryStepBuilder;
import dev.inferops.operator.api.v1alpha1.InconclusivePolicy;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.api.v1alpha1.SmokeTestResultBuilder;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.status.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The canary state machine, step by step, without a cluster. */
class CanaryRolloutTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final List<CanaryStep> STEPS =
      List.of(weight(20), pause(60), weight(50), pause(60));
  private static final Verdict WINDOW_STARTED =
      new Verdict(VerdictKind.INCONCLUSIVE, "traffic", "window started", null, null);
  private static final Verdict GOOD =
      new Verdict(VerdictKind.PASSED, "", "canary error rate 0.0 %, p95 4 ms", null, null);
  private static final Verdict BAD =
      new Verdict(
          VerdictKind.FAILED,
          "error rate",
          "canary error rate 12.0 % > stable 0.1 % + 1 % over 843 requests",
          null,
          null);

  /** The cluster as the test builds it up: every revision's pods, ready and listed. */
  private final Map<String, RevisionState> revisions = new LinkedHashMap<>();

  private final Map<String, Integer> listed = new LinkedHashMap<>();
  private int replicas = 10;
  private CanarySettings settings = settings(STEPS, true, InconclusivePolicy.Wait);
  private RolloutStatus status;

  private static CanaryStep weight(int percent) {
    return new CanaryStepBuilder().withSetWeight(percent).build();
  }

  private static CanaryStep pause(Integer seconds) {
    return new CanaryStepBuilder().withNewPause().withSeconds(seconds).endPause().build();
  }

  private static CanarySettings settings(
      List<CanaryStep> steps, boolean analysis, InconclusivePolicy inconclusive) {
    return new CanarySettings(steps, analysis, 10, inconclusive, 120, true);
  }

  /** {@code rev} runs {@code pods} pods, all ready and listed by the Service. */
  private void runs(String rev, int pods) {
    revisions.put(rev, new RevisionState(rev, "img-" + rev, pods, pods, true, T0, null));
    listed.put(rev, pods);
  }

  /** The cluster does what the decision asked, at once. */
  private void converge(CanaryDecision decision) {
    revisions.keySet().retainAll(decision.replicas().keySet());
    listed.keySet().retainAll(decision.replicas().keySet());
    decision.replicas().forEach(this::runs);
  }

  private CanaryDecision decide(String desired, Instant now, RolloutCommand... commands) {
    return decide(desired, now, Optional.empty(), Optional.empty(), commands);
  }

  private CanaryDecision decide(
      String desired,
      Instant now,
      Optional<SmokeTestResult> smoke,
      Optional<Verdict> verdict,
      RolloutCommand... commands) {
    CanaryDecision decision =
        CanaryRollout.decide(
            new CanaryInput(
                desired,
                "img-" + desired,
                replicas,
                status,
                Map.copyOf(revisions),
                Map.copyOf(listed),
                listed.getOrDefault(desired, 0),
                Set.of(commands),
                smoke,
                verdict,
                now,
                settings));
    status = decision.status();
    return decision;
  }

  private static Optional<SmokeTestResult> smokePassed(String rev) {
    return Optional.of(
        new SmokeTestResultBuilder()
            .withRevision(rev)
            .withPassed(true)
            .withAnswered(true)
            .withMessage("1 instance(s) answered as expected")
            .withTime(T0.toString())
            .build());
  }

  /** blue stable at replicas, green the spec's new revision with its first weight reached. */
  private CanaryDecision greenAtFirstWeight() {
    runs("blue", replicas);
    decide("blue", T0);
    CanaryDecision start = decide("green", T0);
    int first = CanaryRollout.canaryReplicas(CanaryRollout.weightAt(settings.steps(), 0), replicas);
    assertThat(start.replicas()).containsExactly(Map.entry("blue", 10), Map.entry("green", first));
    assertThat(status.getReason()).isEqualTo(ConditionReason.SettingCanaryWeight.name());
    converge(start);
    CanaryDecision smokeDue = decide("green", T0.plusSeconds(5));
    assertThat(smokeDue.smokeTestDue()).isTrue();
    CanaryDecision paused =
        decide("green", T0.plusSeconds(5), smokePassed("green"), Optional.empty());
    assertThat(paused.analysisDue()).isTrue();
    return decide("green", T0.plusSeconds(5), Optional.empty(), Optional.of(WINDOW_STARTED));
  }

  @Test
  void firstRevisionBecomesStableWithoutSteps() {
    CanaryDecision decision = decide("blue", T0);

    assertThat(status.getActiveRevision()).isEqualTo("blue");
    assertThat(status.getCanary()).isNull();
    assertThat(decision.replicas()).containsExactly(Map.entry("blue", 10));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    converge(decision);
    decide("blue", T0.plusSeconds(1));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void stableGivesUpPodsOnlyForCanaryPodsTheServiceLists() {
    runs("blue", 10);
    decide("blue", T0);
    CanaryDecision start = decide("green", T0);
    assertThat(start.replicas()).containsExactly(Map.entry("blue", 10), Map.entry("green", 2));

    revisions.put("green", new RevisionState("green", "img-green", 2, 2, true, T0, null));
    listed.put("green", 1);
    CanaryDecision oneListed = decide("green", T0.plusSeconds(3));

    assertThat(oneListed.replicas()).containsExactly(Map.entry("blue", 9), Map.entry("green", 2));
    assertThat(oneListed.previewRevision()).isEqualTo("green");
    assertThat(status.getCanary().getWeightMessage())
        .isEqualTo(
            "asked 20 %, got 2 of 10 = 20 %; now 1 of 11 ready pods behind the Service = 9 %");
  }

  @Test
  void goodCanaryStepsThroughEveryWeightAndIsPromoted() {
    CanaryDecision paused = greenAtFirstWeight();
    assertThat(paused.replicas()).containsExactly(Map.entry("blue", 8), Map.entry("green", 2));
    assertThat(status.getCanary().getStep()).isEqualTo(1);
    assertThat(status.getReason()).isEqualTo(ConditionReason.CanaryPaused.name());
    assertThat(paused.requeueAfter()).contains(Duration.ofSeconds(10));
    converge(paused);

    // Readings every 10 s; the one at the pause's end passes it.
    assertThat(decide("green", T0.plusSeconds(15)).analysisDue()).isTrue();
    decide("green", T0.plusSeconds(15), Optional.empty(), Optional.of(GOOD));
    assertThat(status.getCanary().getStep()).isEqualTo(1);
    assertThat(decide("green", T0.plusSeconds(65)).analysisDue()).isTrue();
    CanaryDecision half = decide("green", T0.plusSeconds(65), Optional.empty(), Optional.of(GOOD));
    assertThat(status.getCanary().getStep()).isEqualTo(2);
    assertThat(half.replicas()).containsExactly(Map.entry("blue", 8), Map.entry("green", 5));
    converge(half);

    CanaryDecision secondPause = decide("green", T0.plusSeconds(70));
    assertThat(status.getCanary().getStep()).isEqualTo(3);
    assertThat(secondPause.analysisDue()).isTrue();
    assertThat(secondPause.windowId()).startsWith("green/3/");
    decide("green", T0.plusSeconds(70), Optional.empty(), Optional.of(WINDOW_STARTED));
    decide("green", T0.plusSeconds(130));
    CanaryDecision all = decide("green", T0.plusSeconds(130), Optional.empty(), Optional.of(GOOD));
    assertThat(status.getReason()).isEqualTo(ConditionReason.PromotingCanary.name());
    assertThat(all.replicas()).containsExactly(Map.entry("blue", 5), Map.entry("green", 10));
    converge(all);

    CanaryDecision promoted = decide("green", T0.plusSeconds(140));
    assertThat(status.getActiveRevision()).isEqualTo("green");
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(status.getCanary().getStep()).as("kept as the record of the canary").isEqualTo(4);
    assertThat(status.getCanary().getAnalyses()).hasSize(2);
    assertThat(promoted.replicas()).containsExactly(Map.entry("green", 10));
    assertThat(promoted.previewRevision()).isNull();
    assertThat(promoted.announcements())
        .anySatisfy(a -> assertThat(a.message()).contains("promoted after 4 steps"));
  }

  @Test
  void failedAnalysisAbortsAndTheCanaryLeavesAsStablePodsComeBack() {
    converge(greenAtFirstWeight());
    decide("green", T0.plusSeconds(15));
    CanaryDecision aborted =
        decide("green", T0.plusSeconds(15), Optional.empty(), Optional.of(BAD));

    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(status.getReason()).isEqualTo(ConditionReason.CanaryAnalysisFailed.name());
    assertThat(status.getMessage())
        .isEqualTo(
            "canary revision green aborted, stable revision blue back to all replicas: step 2 of"
                + " 4, weight 20 %: canary error rate 12.0 % > stable 0.1 % + 1 % over 843"
                + " requests");
    assertThat(status.getCanary().getAnalyses())
        .singleElement()
        .satisfies(a -> assertThat(a.getVerdict()).isEqualTo("Failed"));
    // 8 stable pods ready: the canary keeps 2 until the stable version has its 10 back.
    assertThat(aborted.replicas()).containsExactly(Map.entry("blue", 10), Map.entry("green", 2));
    assertThat(aborted.previewRevision()).isNull();
    runs("blue", 9);
    assertThat(decide("green", T0.plusSeconds(20)).replicas())
        .containsExactly(Map.entry("blue", 10), Map.entry("green", 1));
    runs("blue", 10);
    assertThat(decide("green", T0.plusSeconds(25)).replicas())
        .containsExactly(Map.entry("blue", 10), Map.entry("green", 0));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Degraded);
  }

  @Test
  void retryStartsTheAbortedRevisionAgainFromItsFirstStep() {
    converge(greenAtFirstWeight());
    decide("green", T0.plusSeconds(10), RolloutCommand.ABORT);
    assertThat(status.getReason()).isEqualTo(ConditionReason.Aborted.name());
    assertThat(status.getMessage()).endsWith("by the user (annotation inferops.dev/abort)");
    runs("blue", 10);
    converge(decide("green", T0.plusSeconds(20)));
    assertThat(revisions.get("green").specReplicas()).isZero();

    CanaryDecision retried = decide("green", T0.plusSeconds(30), RolloutCommand.RETRY);

    assertThat(retried.consumed()).contains(RolloutCommand.RETRY);
    assertThat(status.getAbortedRevision()).isNull();
    assertThat(status.getReason()).isEqualTo(ConditionReason.SettingCanaryWeight.name());
    assertThat(retried.replicas()).containsEntry("green", 2);
    assertThat(status.getCanary().getStep()).isZero();
    assertThat(status.getCanary().getStepStartedAt()).isEqualTo(T0.plusSeconds(30).toString());
  }

  @Test
  void promoteSkipsThePauseAndAPauseWithoutSecondsWaitsForIt() {
    settings = settings(List.of(weight(30), pause(null)), true, InconclusivePolicy.Wait);
    converge(greenAtFirstWeight());
    decide("green", T0.plusSeconds(500));
    decide("green", T0.plusSeconds(500), Optional.empty(), Optional.of(GOOD));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(status.getReason()).isEqualTo(ConditionReason.AwaitingPromotion.name());

    CanaryDecision promoted = decide("green", T0.plusSeconds(501), RolloutCommand.PROMOTE);

    assertThat(promoted.consumed()).contains(RolloutCommand.PROMOTE);
    assertThat(status.getCanary().getStep()).isEqualTo(2);
    assertThat(promoted.replicas()).containsEntry("green", 10);
  }

  @Test
  void inconclusiveAtTheEndOfAPauseWaitsOrPassesAsTheSpecSays() {
    converge(greenAtFirstWeight());
    decide("green", T0.plusSeconds(65));
    decide("green", T0.plusSeconds(65), Optional.empty(), Optional.of(WINDOW_STARTED));
    assertThat(status.getReason()).isEqualTo(ConditionReason.WaitingForCanaryTraffic.name());
    assertThat(status.getCanary().getStep()).isEqualTo(1);

    settings = settings(STEPS, true, InconclusivePolicy.Pass);
    decide("green", T0.plusSeconds(75));
    decide("green", T0.plusSeconds(75), Optional.empty(), Optional.of(WINDOW_STARTED));
    assertThat(status.getCanary().getStep()).isEqualTo(2);
  }

  @Test
  void weightIsRoundedToWholePodsAndReportedAsReached() {
    assertThat(CanaryRollout.canaryReplicas(15, 10)).isEqualTo(2);
    assertThat(CanaryRollout.canaryReplicas(1, 10)).isEqualTo(1);
    assertThat(CanaryRollout.canaryReplicas(20, 3)).isEqualTo(1);
    assertThat(CanaryRollout.canaryReplicas(100, 3)).isEqualTo(3);
    assertThat(CanaryRollout.canaryReplicas(0, 3)).isZero();

    settings = settings(List.of(weight(15), pause(60)), true, InconclusivePolicy.Wait);
    runs("blue", 10);
    decide("blue", T0);
    decide("green", T0);
    assertThat(status.getCanary().getWeightMessage()).startsWith("asked 15 %, got 2 of 10 = 20 %");
  }

  @Test
  void scalingDuringAStepKeepsItsShare() {
    converge(greenAtFirstWeight());
    replicas = 20;

    CanaryDecision scaled = decide("green", T0.plusSeconds(6));

    assertThat(scaled.replicas()).containsExactly(Map.entry("blue", 18), Map.entry("green", 4));
  }

  @Test
  void canaryPodsNotReadyInTimeAbortAtTheProgressDeadline() {
    runs("blue", 10);
    decide("blue", T0);
    decide("green", T0);
    revisions.put(
        "green", new RevisionState("green", "img-green", 2, 0, true, T0, "CrashLoopBackOff"));

    decide("green", T0.plusSeconds(60));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Progressing);
    decide("green", T0.plusSeconds(121));

    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(status.getReason()).isEqualTo(ConditionReason.ProgressDeadlineExceeded.name());
    assertThat(status.getMessage()).contains("0 of 2 canary pods").contains("CrashLoopBackOff");
  }

  @Test
  void withAnalysisOffAPauseOnlyWaits() {
    settings = settings(STEPS, false, InconclusivePolicy.Wait);
    runs("blue", 10);
    decide("blue", T0);
    converge(decide("green", T0));
    decide("green", T0.plusSeconds(1));
    CanaryDecision paused =
        decide("green", T0.plusSeconds(1), smokePassed("green"), Optional.empty());

    assertThat(paused.analysisDue()).isFalse();
    assertThat(status.getCanary().getAnalysis()).isEqualTo("Off");
    assertThat(status.getMessage()).endsWith("analysis off");
    decide("green", T0.plusSeconds(61));
    assertThat(status.getCanary().getStep()).isEqualTo(2);
  }

  @Test
  void aNewSpecDuringACanaryStartsOverAndDropsTheOldCanary() {
    converge(greenAtFirstWeight());

    CanaryDecision red = decide("red", T0.plusSeconds(20));

    assertThat(red.replicas()).containsOnlyKeys("blue", "red");
    assertThat(status.getPreviewRevision()).isEqualTo("red");
    assertThat(status.getCanary().getStep()).isZero();
  }

  @Test
  void aFixedSpecAfterAnAbortStepsOnAsFreely() {
    converge(greenAtFirstWeight());
    decide("green", T0.plusSeconds(10), RolloutCommand.ABORT);
    runs("blue", 10);
    converge(decide("green", T0.plusSeconds(20)));

    converge(decide("red", T0.plusSeconds(30)));
    decide("red", T0.plusSeconds(31));
    CanaryDecision paused = decide("red", T0.plusSeconds(31), smokePassed("red"), Optional.empty());

    assertThat(status.getAbortedRevision()).as("the record of the last abort").isEqualTo("green");
    assertThat(status.getCanary().getStep())
        .as("the weight reached and the pause begun in one decision")
        .isEqualTo(1);
    assertThat(paused.analysisDue()).isTrue();
  }

  @Test
  void revertingTheSpecToTheStableRevisionEndsTheCanary() {
    converge(greenAtFirstWeight());

    CanaryDecision back = decide("blue", T0.plusSeconds(20));

    assertThat(back.replicas()).containsExactly(Map.entry("blue", 10));
    assertThat(status.getPhase()).as("8 of 10 stable pods").isEqualTo(RolloutPhase.Progressing);
    converge(back);
    decide("blue", T0.plusSeconds(25));
    assertThat(status.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(status.getPreviewRevision()).isNull();
  }
}
