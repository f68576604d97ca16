package dev.inferops.operator.rollout.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.analysis.ShadowReading;
import dev.inferops.operator.analysis.ShadowTally;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.RolloutStatusBuilder;
import dev.inferops.operator.api.v1alpha1.ShadowSpecBuilder;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.api.v1alpha1.SmokeTestResultBuilder;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.rollout.SmokeTestCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The blue-green state machine, step by step, without a cluster. */
class BlueGreenRolloutTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final BlueGreenSettings AUTO =
      new BlueGreenSettings(60, true, 0, 30, true, 2, 0, Optional.empty());
  private static final BlueGreenSettings MANUAL =
      new BlueGreenSettings(60, false, 0, 30, true, 2, 0, Optional.empty());

  /** The cluster as the test builds it up. */
  private final Map<String, RevisionState> revisions = new LinkedHashMap<>();

  private String previewServiceRevision;
  private int endpoints;

  /** The spec's replicas. */
  private int replicas = 3;

  private void running(String rev, String image, int replicas, int ready, Instant created) {
    revisions.put(rev, new RevisionState(rev, image, replicas, ready, true, created, null));
  }

  /** green runs {@code pods} ready pods, all listed by the preview Service. */
  private void greenListed(int pods) {
    running("green", "img-green", pods, pods, T0);
    previewServiceRevision = "green";
    endpoints = pods;
  }

  private BlueGreenDecision decide(
      String desired,
      RolloutStatus previous,
      BlueGreenSettings settings,
      Instant now,
      RolloutCommand... commands) {
    return decide(desired, previous, settings, now, Optional.empty(), commands);
  }

  private BlueGreenDecision decide(
      String desired,
      RolloutStatus previous,
      BlueGreenSettings settings,
      Instant now,
      Optional<SmokeTestResult> smoke,
      RolloutCommand... commands) {
    return decide(desired, previous, settings, now, smoke, Optional.empty(), commands);
  }

  private BlueGreenDecision decide(
      String desired,
      RolloutStatus previous,
      BlueGreenSettings settings,
      Instant now,
      Optional<SmokeTestResult> smoke,
      Optional<ShadowReading> shadow,
      RolloutCommand... commands) {
    return BlueGreenRollout.decide(
        new BlueGreenInput(
            desired,
            "img-" + desired,
            replicas,
            previous,
            Map.copyOf(revisions),
            previewServiceRevision,
            endpoints,
            Set.of(commands),
            smoke,
            shadow,
            now,
            settings));
  }

  private static SmokeTestResult smoke(String rev, boolean passed, String message) {
    return new SmokeTestResultBuilder()
        .withRevision(rev)
        .withPassed(passed)
        .withAnswered(true)
        .withMessage(message)
        .withTime(T0.toString())
        .build();
  }

  /** An attempt at {@code at} that got no answer, as the tester reports a refused connection. */
  private static Optional<SmokeTestResult> noAnswer(String rev, Instant at) {
    return Optional.of(
        new SmokeTestResultBuilder()
            .withRevision(rev)
            .withPassed(false)
            .withAnswered(false)
            .withMessage("POST http://10.0.0.1:80/predict failed: java.net.ConnectException")
            .withTime(at.toString())
            .build());
  }

  /** A healthy "blue" at 3 replicas, as the status says after its first rollout. */
  private RolloutStatus blueActive() {
    running("blue", "img-blue", 3, 3, T0.minusSeconds(600));
    BlueGreenDecision d = decide("blue", null, AUTO, T0.minusSeconds(500));
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
    return d.status();
  }

  @Test
  void theFirstRevisionBecomesActiveWithoutChecksAndTheServiceWaitsForItsPods() {
    BlueGreenDecision d = decide("blue", null, AUTO, T0);
    assertThat(d.status().getActiveRevision()).isEqualTo("blue");
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(d.activeSelectorRevision()).as("all pods until blue runs").isNull();
    assertThat(d.replicas()).containsEntry("blue", 3);

    running("blue", "img-blue", 3, 3, T0);
    BlueGreenDecision ready = decide("blue", d.status(), AUTO, T0.plusSeconds(5));
    assertThat(ready.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(ready.activeSelectorRevision()).isEqualTo("blue");
    assertThat(ready.status().getActiveImage()).isEqualTo("img-blue");
  }

  @Test
  void promotionWaitsForPodsThenEndpointsThenSmokeTestThenSwitchesInOneDecision() {
    RolloutStatus st = blueActive();

    BlueGreenDecision started = decide("green", st, AUTO, T0);
    assertThat(started.status().getPreviewRevision()).isEqualTo("green");
    assertThat(started.status().getReason()).isEqualTo("WaitingForPreviewPods");
    assertThat(started.replicas()).containsEntry("blue", 3).containsEntry("green", 3);
    assertThat(started.activeSelectorRevision()).isEqualTo("blue");
    assertThat(started.previewSelectorRevision()).isEqualTo("green");
    assertThat(started.requeueAfter()).contains(Duration.ofSeconds(60));

    running("green", "img-green", 3, 3, T0);
    BlueGreenDecision podsReady = decide("green", started.status(), AUTO, T0.plusSeconds(5));
    assertThat(podsReady.status().getReason()).isEqualTo("WaitingForPreviewEndpoints");
    assertThat(podsReady.smokeTestDue()).isFalse();

    previewServiceRevision = "green";
    endpoints = 3;
    BlueGreenDecision listed = decide("green", podsReady.status(), AUTO, T0.plusSeconds(6));
    assertThat(listed.smokeTestDue()).as("smoke test only once endpoints list all pods").isTrue();
    assertThat(listed.status().getActiveRevision()).isEqualTo("blue");

    BlueGreenDecision switched =
        decide(
            "green",
            podsReady.status(),
            AUTO,
            T0.plusSeconds(6),
            Optional.of(smoke("green", true, "1 instance(s) answered as expected")));
    assertThat(switched.status().getActiveRevision()).isEqualTo("green");
    assertThat(switched.activeSelectorRevision()).isEqualTo("green");
    assertThat(switched.status().getPreviousRevision()).isEqualTo("blue");
    assertThat(switched.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(switched.status().getSmokeTest().getPassed()).isTrue();
    assertThat(switched.replicas()).as("old version kept scaled").containsEntry("blue", 3);
    assertThat(switched.announcements())
        .extracting(a -> a.reason().name())
        .contains("SmokeTestPassed", "PreviewVerified", "Promoted");
  }

  @Test
  void afterTheScaleDownDelayTheOldVersionGoesToZero() {
    RolloutStatus promoted = promoted(AUTO);
    BlueGreenDecision during = decide("green", promoted, AUTO, T0.plusSeconds(20));
    assertThat(during.replicas()).containsEntry("blue", 3);
    assertThat(during.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(during.requeueAfter()).contains(Duration.ofSeconds(10));

    BlueGreenDecision after = decide("green", during.status(), AUTO, T0.plusSeconds(31));
    assertThat(after.replicas()).containsEntry("blue", 0).containsEntry("green", 3);
    assertThat(after.status().getPhase()).isEqualTo(RolloutPhase.Healthy);
  }

  @Test
  void withoutAutoPromotionItPausesUntilThePromoteCommand() {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision paused =
        decide("green", st, MANUAL, T0, Optional.of(smoke("green", true, "ok")));
    assertThat(paused.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(paused.status().getReason()).isEqualTo("AwaitingPromotion");
    assertThat(paused.status().getActiveRevision()).isEqualTo("blue");

    BlueGreenDecision still = decide("green", paused.status(), MANUAL, T0.plusSeconds(300));
    assertThat(still.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(still.smokeTestDue()).as("a passed smoke test is not repeated").isFalse();

    BlueGreenDecision promoted =
        decide("green", paused.status(), MANUAL, T0.plusSeconds(301), RolloutCommand.PROMOTE);
    assertThat(promoted.status().getActiveRevision()).isEqualTo("green");
    assertThat(promoted.consumed()).contains(RolloutCommand.PROMOTE);
  }

  @Test
  void aPromoteCommandWaitsUntilEveryCheckPassed() {
    RolloutStatus st = blueActive();
    BlueGreenDecision early = decide("green", st, MANUAL, T0, RolloutCommand.PROMOTE);
    assertThat(early.status().getActiveRevision()).isEqualTo("blue");
    assertThat(early.consumed()).doesNotContain(RolloutCommand.PROMOTE);
  }

  @Test
  void autoPromotionSecondsDelayTheSwitch() {
    BlueGreenSettings delayed =
        new BlueGreenSettings(60, true, 20, 30, false, 2, 0, Optional.empty());
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision waiting = decide("green", st, delayed, T0);
    assertThat(waiting.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(waiting.requeueAfter()).contains(Duration.ofSeconds(20));
    BlueGreenDecision switched = decide("green", waiting.status(), delayed, T0.plusSeconds(20));
    assertThat(switched.status().getActiveRevision()).isEqualTo("green");
  }

  @Test
  void newPodsNotReadyWithinTheDeadlineAbortAndScaleThePreviewDown() {
    RolloutStatus st = blueActive();
    BlueGreenDecision started = decide("green", st, AUTO, T0);
    revisions.put(
        "green",
        new RevisionState("green", "img-green", 3, 1, true, T0, "pod g-1: ImagePullBackOff"));
    BlueGreenDecision late = decide("green", started.status(), AUTO, T0.plusSeconds(60));
    assertThat(late.status().getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(late.status().getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(late.status().getMessage())
        .contains("1/3 new pods ready after 60s")
        .contains("ImagePullBackOff");
    assertThat(late.status().getActiveRevision()).isEqualTo("blue");
    assertThat(late.activeSelectorRevision()).isEqualTo("blue");
    assertThat(late.replicas()).containsEntry("green", 0).containsEntry("blue", 3);
    assertThat(late.announcements()).anyMatch(a -> a.warning());

    BlueGreenDecision again = decide("green", late.status(), AUTO, T0.plusSeconds(90));
    assertThat(again.status().getPhase())
        .as("not retried by itself")
        .isEqualTo(RolloutPhase.Degraded);
    assertThat(again.status()).isEqualTo(late.status());
  }

  @Test
  void aFailingSmokeTestAbortsWithWhatCameBack() {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision failed =
        decide(
            "green",
            st,
            AUTO,
            T0,
            Optional.of(smoke("green", false, "POST http://10.0.0.1:80/predict: HTTP 500: boom")));
    assertThat(failed.status().getReason()).isEqualTo("SmokeTestFailed");
    assertThat(failed.status().getMessage()).contains("HTTP 500: boom");
    assertThat(failed.status().getSmokeTest().getAttempt())
        .as("a wrong answer is not repeated")
        .isEqualTo(1);
    assertThat(failed.status().getActiveRevision()).isEqualTo("blue");
    assertThat(failed.replicas()).containsEntry("green", 0);

    BlueGreenDecision fixed = decide("teal", failed.status(), AUTO, T0.plusSeconds(5));
    assertThat(fixed.status().getPhase())
        .as("a new spec is a new attempt")
        .isEqualTo(RolloutPhase.Progressing);
    assertThat(fixed.status().getPreviewRevision()).isEqualTo("teal");

    BlueGreenDecision retried =
        decide("green", failed.status(), AUTO, T0.plusSeconds(5), RolloutCommand.RETRY);
    assertThat(retried.status().getAbortedRevision()).isNull();
    assertThat(retried.smokeTestDue()).isTrue();
  }

  @Test
  void aSmokeTestThatGetsNoAnswerIsRepeatedWithBackOffUntilItIsAnswered() {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision first = decide("green", st, AUTO, T0, noAnswer("green", T0));
    assertThat(first.status().getPhase()).isEqualTo(RolloutPhase.Progressing);
    assertThat(first.status().getReason()).isEqualTo("RetryingSmokeTest");
    assertThat(first.status().getMessage())
        .contains("attempt 1 of 5 got no answer")
        .contains("ConnectException");
    assertThat(first.status().getSmokeTest().getAttempt()).isEqualTo(1);
    assertThat(first.requeueAfter()).contains(Duration.ofSeconds(1));
    assertThat(first.activeSelectorRevision()).isEqualTo("blue");
    assertThat(first.replicas()).containsEntry("green", 3);
    assertThat(first.announcements()).noneMatch(a -> a.warning());

    BlueGreenDecision early = decide("green", first.status(), AUTO, T0.plusMillis(400));
    assertThat(early.smokeTestDue()).as("not before the back-off").isFalse();
    assertThat(early.requeueAfter()).contains(Duration.ofMillis(600));

    assertThat(decide("green", first.status(), AUTO, T0.plusSeconds(1)).smokeTestDue()).isTrue();
    BlueGreenDecision second =
        decide(
            "green", first.status(), AUTO, T0.plusSeconds(1), noAnswer("green", T0.plusSeconds(1)));
    assertThat(second.status().getSmokeTest().getAttempt()).isEqualTo(2);
    assertThat(second.requeueAfter()).as("the back-off doubles").contains(Duration.ofSeconds(2));

    SmokeTestResult answered = smoke("green", true, "1 instance(s) answered as expected");
    answered.setTime(T0.plusSeconds(3).toString());
    BlueGreenDecision passed =
        decide("green", second.status(), AUTO, T0.plusSeconds(3), Optional.of(answered));
    assertThat(passed.status().getSmokeTest().getAttempt()).isEqualTo(3);
    assertThat(passed.status().getSmokeTest().getPassed()).isTrue();
    assertThat(passed.status().getActiveRevision()).isEqualTo("green");
  }

  @Test
  void aSmokeTestWithoutAnAnswerFiveTimesAbortsAndARetryCountsAgainFromOne() {
    RolloutStatus st = blueActive();
    greenListed(3);
    Instant at = T0;
    BlueGreenDecision d = decide("green", st, AUTO, at, noAnswer("green", at));
    for (int attempt = 2; attempt <= SmokeTestCheck.SMOKE_TEST_ATTEMPTS; attempt++) {
      assertThat(d.status().getReason()).isEqualTo("RetryingSmokeTest");
      at = at.plus(d.requeueAfter().orElseThrow());
      d = decide("green", d.status(), AUTO, at, noAnswer("green", at));
    }
    assertThat(at).as("1 + 2 + 4 + 8 seconds of back-off").isEqualTo(T0.plusSeconds(15));
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(d.status().getReason()).isEqualTo("SmokeTestFailed");
    assertThat(d.status().getMessage()).contains("ConnectException").endsWith("(attempt 5 of 5)");
    assertThat(d.status().getActiveRevision()).isEqualTo("blue");
    assertThat(d.replicas()).containsEntry("green", 0);
    assertThat(d.announcements()).anyMatch(a -> a.warning());

    Instant retryAt = at.plusSeconds(60);
    BlueGreenDecision retried = decide("green", d.status(), AUTO, retryAt, RolloutCommand.RETRY);
    BlueGreenDecision again =
        decide(
            "green",
            retried.status(),
            AUTO,
            retryAt.plusSeconds(30),
            noAnswer("green", retryAt.plusSeconds(30)));
    assertThat(again.status().getSmokeTest().getAttempt())
        .as("a retried rollout starts its attempts afresh")
        .isEqualTo(1);
    assertThat(again.status().getReason()).isEqualTo("RetryingSmokeTest");
  }

  @Test
  void abortCommandKeepsTheActiveVersion() {
    RolloutStatus st = blueActive();
    BlueGreenDecision started = decide("green", st, AUTO, T0);
    BlueGreenDecision aborted =
        decide("green", started.status(), AUTO, T0.plusSeconds(1), RolloutCommand.ABORT);
    assertThat(aborted.status().getReason()).isEqualTo("Aborted");
    assertThat(aborted.activeSelectorRevision()).isEqualTo("blue");
    assertThat(aborted.replicas()).containsEntry("green", 0);
  }

  @Test
  void rollbackWhileTheOldPodsAreKeptIsAnImmediateSelectorSwitch() {
    RolloutStatus promoted = promoted(AUTO);
    BlueGreenDecision back =
        decide("green", promoted, AUTO, T0.plusSeconds(10), RolloutCommand.ROLLBACK);
    assertThat(back.status().getActiveRevision()).isEqualTo("blue");
    assertThat(back.activeSelectorRevision()).isEqualTo("blue");
    assertThat(back.status().getReason()).isEqualTo("RolledBack");
    assertThat(back.status().getAbortedRevision()).isEqualTo("green");

    BlueGreenDecision later = decide("green", back.status(), AUTO, T0.plusSeconds(20));
    assertThat(later.status().getActiveRevision())
        .as("the rolled-back revision is not retried")
        .isEqualTo("blue");
    assertThat(later.replicas()).containsEntry("green", 0);
  }

  @Test
  void rollbackAfterScaleDownScalesTheOldRevisionUpFirst() {
    RolloutStatus promoted = promoted(AUTO);
    BlueGreenDecision settled = decide("green", promoted, AUTO, T0.plusSeconds(31));
    running("blue", "img-blue", 0, 0, T0.minusSeconds(600));
    BlueGreenDecision back =
        decide("green", settled.status(), AUTO, T0.plusSeconds(40), RolloutCommand.ROLLBACK);
    assertThat(back.status().getActiveRevision()).isEqualTo("green");
    assertThat(back.status().getReason()).isEqualTo("RollingBack");
    assertThat(back.replicas()).containsEntry("blue", 3).containsEntry("green", 3);

    running("blue", "img-blue", 3, 3, T0.minusSeconds(600));
    BlueGreenDecision done = decide("green", back.status(), AUTO, T0.plusSeconds(45));
    assertThat(done.status().getActiveRevision()).isEqualTo("blue");
  }

  @Test
  void scalingDuringARolloutResizesThePreviewButNeverShrinksTheActive() {
    RolloutStatus st = blueActive();
    replicas = 2;
    BlueGreenDecision down = decide("green", st, AUTO, T0);
    assertThat(down.replicas()).containsEntry("blue", 3).containsEntry("green", 2);
    replicas = 5;
    BlueGreenDecision up = decide("green", st, AUTO, T0);
    assertThat(up.replicas()).containsEntry("blue", 5).containsEntry("green", 5);
  }

  @Test
  void aPreviewCheckedAtFewerPodsScalesUpAtPromotionAndSwitchesOnceAllAreReady() {
    BlueGreenSettings onePod = new BlueGreenSettings(60, true, 0, 30, true, 2, 1, Optional.empty());
    RolloutStatus st = blueActive();
    BlueGreenDecision started = decide("green", st, onePod, T0);
    assertThat(started.replicas()).containsEntry("blue", 3).containsEntry("green", 1);

    greenListed(1);
    BlueGreenDecision checked =
        decide(
            "green",
            started.status(),
            onePod,
            T0.plusSeconds(5),
            Optional.of(smoke("green", true, "ok")));
    assertThat(checked.status().getActiveRevision()).as("not before 3 pods").isEqualTo("blue");
    assertThat(checked.status().getPhase()).isEqualTo(RolloutPhase.Promoting);
    assertThat(checked.status().getReason()).isEqualTo("ScalingUpPreview");
    assertThat(checked.replicas()).containsEntry("blue", 3).containsEntry("green", 3);
    assertThat(checked.activeSelectorRevision()).isEqualTo("blue");

    running("green", "img-green", 3, 2, T0);
    BlueGreenDecision scaling = decide("green", checked.status(), onePod, T0.plusSeconds(8));
    assertThat(scaling.status().getActiveRevision()).isEqualTo("blue");
    assertThat(scaling.replicas()).containsEntry("green", 3);
    assertThat(scaling.smokeTestDue()).as("checked once").isFalse();

    running("green", "img-green", 3, 3, T0);
    BlueGreenDecision switched = decide("green", scaling.status(), onePod, T0.plusSeconds(10));
    assertThat(switched.status().getActiveRevision()).isEqualTo("green");
    assertThat(switched.activeSelectorRevision()).isEqualTo("green");
    assertThat(switched.status().getPromotionStartedAt()).isNull();
    assertThat(switched.replicas()).as("old kept warm").containsEntry("blue", 3);
  }

  @Test
  void aPreviewThatCannotScaleUpForPromotionIsAbortedAfterTheDeadline() {
    BlueGreenSettings onePod =
        new BlueGreenSettings(60, false, 0, 30, true, 2, 1, Optional.empty());
    RolloutStatus st = blueActive();
    greenListed(1);
    BlueGreenDecision paused =
        decide("green", st, onePod, T0, Optional.of(smoke("green", true, "ok")));
    assertThat(paused.status().getPhase()).isEqualTo(RolloutPhase.Paused);
    assertThat(paused.replicas()).containsEntry("green", 1);

    // Promoted long after the attempt began: the scale-up gets a deadline of its own.
    BlueGreenDecision promoting =
        decide("green", paused.status(), onePod, T0.plusSeconds(600), RolloutCommand.PROMOTE);
    assertThat(promoting.consumed()).contains(RolloutCommand.PROMOTE);
    assertThat(promoting.status().getReason()).isEqualTo("ScalingUpPreview");
    assertThat(promoting.replicas()).containsEntry("green", 3);
    assertThat(promoting.requeueAfter()).contains(Duration.ofSeconds(60));

    running("green", "img-green", 3, 1, T0);
    BlueGreenDecision aborted = decide("green", promoting.status(), onePod, T0.plusSeconds(661));
    assertThat(aborted.status().getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(aborted.status().getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(aborted.status().getMessage()).contains("1/3 pods ready");
    assertThat(aborted.status().getActiveRevision()).isEqualTo("blue");
    assertThat(aborted.replicas()).containsEntry("blue", 3).containsEntry("green", 0);
  }

  @Test
  void previewReplicaCountAboveReplicasChecksEveryReplica() {
    BlueGreenSettings many = new BlueGreenSettings(60, true, 0, 30, true, 2, 10, Optional.empty());
    RolloutStatus st = blueActive();
    assertThat(decide("green", st, many, T0).replicas()).containsEntry("green", 3);
  }

  @Test
  void revisionHistoryKeepsTheNewestOldRevisionsOnly() {
    running("r1", "i1", 0, 0, T0.minusSeconds(400));
    running("r2", "i2", 0, 0, T0.minusSeconds(300));
    running("r3", "i3", 0, 0, T0.minusSeconds(200));
    running("r4", "i4", 3, 3, T0.minusSeconds(100));
    RolloutStatus st =
        new RolloutStatusBuilder().withActiveRevision("r4").withPhase(RolloutPhase.Healthy).build();
    BlueGreenDecision d = decide("r4", st, AUTO, T0);
    assertThat(d.replicas().keySet()).containsExactlyInAnyOrder("r4", "r3", "r2");
  }

  @Test
  void anUnchangedClusterGivesAnEqualDecision() {
    RolloutStatus promoted = promoted(AUTO);
    BlueGreenDecision a = decide("green", promoted, AUTO, T0.plusSeconds(40));
    BlueGreenDecision b = decide("green", a.status(), AUTO, T0.plusSeconds(50));
    assertThat(b.status()).isEqualTo(a.status());
    assertThat(b.announcements()).isEmpty();
  }

  /** blue was active; green passed every check and was switched to at T0. */
  private RolloutStatus promoted(BlueGreenSettings settings) {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision d =
        decide("green", st, settings, T0, Optional.of(smoke("green", true, "ok")));
    assertThat(d.status().getActiveRevision()).isEqualTo("green");
    return d.status();
  }

  /** A shadow gate of {@code minAgreement} over 100 comparisons; null: report only. */
  private static BlueGreenSettings shadowing(Double minAgreement, int autoPromotionSeconds) {
    return new BlueGreenSettings(
        60,
        true,
        autoPromotionSeconds,
        30,
        true,
        2,
        0,
        Optional.of(
            new ShadowSpecBuilder()
                .withSampleRate(0.5)
                .withMinComparisons(100)
                .withMinAgreement(minAgreement)
                .withProbabilityTolerance(1e-6)
                .build()));
  }

  private static Optional<ShadowReading> counted(long compared, long agreed) {
    return Optional.of(
        ShadowReading.counted(
            new ShadowTally(compared + 3, compared, agreed, 2, 1), "read from 3 live pods"));
  }

  private static final Optional<SmokeTestResult> PASSED =
      Optional.of(new SmokeTestResultBuilder().withRevision("green").withPassed(true).build());

  /** green verified at T0 + 6 s and its shadow started, as the status records it. */
  private BlueGreenDecision shadowStarted(BlueGreenSettings settings) {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision asks = decide("green", st, settings, T0.plusSeconds(6), PASSED);
    assertThat(asks.shadowReadingDue()).as("the counters are read once verified").isTrue();
    assertThat(asks.status().getActiveRevision()).isEqualTo("blue");
    BlueGreenDecision started =
        decide(
            "green",
            st,
            settings,
            T0.plusSeconds(6),
            PASSED,
            Optional.of(
                ShadowReading.counted(
                    ShadowTally.EMPTY, "counting from now on: baseline read from 3 live pods")));
    assertThat(started.shadowSource()).as("blue's pods copy to the preview").isEqualTo("blue");
    assertThat(started.status().getActiveRevision()).isEqualTo("blue");
    return started;
  }

  @Test
  void aShadowGateWaitsForEnoughComparisonsThenPromotesAPreviewThatAgrees() {
    BlueGreenDecision started = shadowStarted(shadowing(0.99, 0));
    assertThat(started.status().getReason()).isEqualTo("ComparingShadow");
    assertThat(started.status().getMessage())
        .isEqualTo("shadow: no answers compared yet (99 % required over 100)");
    assertThat(started.requeueAfter()).contains(ShadowGate.READ_EVERY);

    BlueGreenDecision between =
        decide("green", started.status(), shadowing(0.99, 0), T0.plusSeconds(10));
    assertThat(between.shadowReadingDue()).as("read every 10 s, not on every event").isFalse();
    assertThat(between.shadowSource()).isEqualTo("blue");
    assertThat(between.requeueAfter()).contains(Duration.ofSeconds(6));

    BlueGreenDecision few =
        decide(
            "green",
            started.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(16),
            PASSED,
            counted(40, 40));
    assertThat(few.status().getMessage())
        .isEqualTo(
            "shadow: agreement 100.0 % over 40 requests (99 % required over 100); 2 copies"
                + " dropped (queue full), 1 unanswered by the preview");
    assertThat(few.status().getShadow().getCopied()).isEqualTo(43);

    BlueGreenDecision agreed =
        decide(
            "green",
            few.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(26),
            PASSED,
            counted(1208, 1201));
    assertThat(agreed.status().getActiveRevision()).isEqualTo("green");
    assertThat(agreed.shadowSource()).as("the copies stop at the switch").isNull();
    assertThat(agreed.status().getShadow().getMessage())
        .startsWith("agreement 99.4 % over 1,208 requests (99 % required over 100)");
    assertThat(agreed.announcements())
        .extracting(a -> a.reason().name())
        .contains("ShadowAgreed", "Promoted");
  }

  @Test
  void aShadowThatAgreesTooRarelyAbortsWithTheFigure() {
    BlueGreenDecision started = shadowStarted(shadowing(0.99, 0));
    BlueGreenDecision d =
        decide(
            "green",
            started.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(16),
            PASSED,
            counted(200, 181));
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(d.status().getReason()).isEqualTo("ShadowDisagreed");
    assertThat(d.status().getMessage())
        .isEqualTo(
            "revision green aborted: shadow agreement 90.5 % over 200 requests, below the 99 %"
                + " required");
    assertThat(d.status().getActiveRevision()).isEqualTo("blue");
    assertThat(d.shadowSource()).isNull();
    assertThat(d.replicas()).containsEntry("green", 0);
  }

  @Test
  void tooFewComparisonsByTheDeadlineAbort() {
    BlueGreenDecision started = shadowStarted(shadowing(0.99, 0));
    BlueGreenDecision d =
        decide(
            "green",
            started.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(66),
            PASSED,
            counted(12, 12));
    assertThat(d.status().getPhase()).isEqualTo(RolloutPhase.Degraded);
    assertThat(d.status().getMessage())
        .startsWith(
            "revision green aborted: shadow: only 12 of 100 answers compared 60s after the preview"
                + " was verified; agreement 100.0 % over 12 requests");
  }

  @Test
  void reportOnlyShowsTheFigureAndLeavesPromotionToTheOtherChecks() {
    BlueGreenDecision started = shadowStarted(shadowing(null, 30));
    assertThat(started.status().getReason()).isEqualTo("AutoPromotionPending");
    BlueGreenDecision later =
        decide(
            "green",
            started.status(),
            shadowing(null, 30),
            T0.plusSeconds(16),
            PASSED,
            counted(7, 6));
    assertThat(later.status().getShadow().getMessage())
        .isEqualTo(
            "agreement 85.7 % over 7 requests (report only); 2 copies dropped (queue full), 1"
                + " unanswered by the preview");
    assertThat(later.shadowSource()).isEqualTo("blue");
    BlueGreenDecision promoted =
        decide(
            "green",
            later.status(),
            shadowing(null, 30),
            T0.plusSeconds(36),
            PASSED,
            counted(20, 17));
    assertThat(promoted.status().getActiveRevision()).isEqualTo("green");
    assertThat(promoted.status().getShadow().getCompared()).isEqualTo(20);
  }

  @Test
  void livePodsWithoutTheShadowFileWaiveTheGateWithAWarning() {
    RolloutStatus st = blueActive();
    greenListed(3);
    BlueGreenDecision d =
        decide(
            "green",
            st,
            shadowing(0.99, 0),
            T0.plusSeconds(6),
            PASSED,
            Optional.of(
                ShadowReading.impossible("the pods of live revision blue were created before")));
    assertThat(d.status().getActiveRevision()).isEqualTo("green");
    assertThat(d.status().getShadow().getMessage())
        .isEqualTo("not run: the pods of live revision blue were created before");
    assertThat(d.announcements())
        .filteredOn(a -> a.reason().name().equals("ShadowUnavailable"))
        .singleElement()
        .satisfies(a -> assertThat(a.warning()).isTrue());
  }

  @Test
  void anUnreadPodKeepsTheLastFiguresAndSaysWhy() {
    BlueGreenDecision started = shadowStarted(shadowing(0.99, 0));
    BlueGreenDecision some =
        decide(
            "green",
            started.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(16),
            PASSED,
            counted(40, 40));
    BlueGreenDecision unread =
        decide(
            "green",
            some.status(),
            shadowing(0.99, 0),
            T0.plusSeconds(26),
            PASSED,
            Optional.of(ShadowReading.unread("could not read /metrics of pod blue-1: timed out")));
    assertThat(unread.status().getShadow().getCompared()).isEqualTo(40);
    assertThat(unread.status().getMessage())
        .endsWith("unanswered by the preview; could not read /metrics of pod blue-1: timed out");
    assertThat(unread.status().getPhase()).isEqualTo(RolloutPhase.Progressing);
  }
}
