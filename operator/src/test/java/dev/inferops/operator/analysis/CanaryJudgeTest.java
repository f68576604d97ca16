package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.analysis.LatencyHistogram.Bucket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every verdict path and its exact message, and the limits' boundaries. */
class CanaryJudgeTest {

  private static final AnalysisThresholds LIMITS = new AnalysisThresholds(1.0, 50, 50, 50);

  /**
   * {@code requests} (a multiple of 20) of which {@code errors} failed, with a p95 of exactly
   * {@code p95Millis}: 95 % of the requests at most that long, the rest at most 10 s.
   */
  static RequestTally tally(long requests, long errors, double p95Millis) {
    return new RequestTally(
        requests,
        errors,
        new LatencyHistogram(
            List.of(
                new Bucket(p95Millis / 1000, requests * 95 / 100),
                new Bucket(10.0, requests),
                new Bucket(Double.POSITIVE_INFINITY, requests))));
  }

  private static Verdict judge(RequestTally canary, RequestTally stable) {
    return CanaryJudge.judge(canary, stable, LIMITS);
  }

  @Test
  void tooFewCanaryRequestsIsInconclusiveWithTheFigures() {
    Verdict v = judge(new RequestTally(12, 0, LatencyHistogram.EMPTY), tally(1000, 0, 4));
    assertThat(v.kind()).isEqualTo(VerdictKind.INCONCLUSIVE);
    assertThat(v.measure()).isEqualTo("traffic");
    assertThat(v.message()).isEqualTo("inconclusive: 12 canary requests in the window, 50 needed");
    assertThat(v.canary().requests()).isEqualTo(12);
    assertThat(v.stable().requests()).isEqualTo(1000);
  }

  @Test
  void noCanaryRequestsAreNeverEnoughEvenWithoutAMinimum() {
    Verdict v =
        CanaryJudge.judge(
            RequestTally.EMPTY, tally(1000, 0, 4), new AnalysisThresholds(1.0, 50, 50, 0));
    assertThat(v.message()).isEqualTo("inconclusive: 0 canary requests in the window, 1 needed");
    assertThat(v.canary()).isEqualTo(new VersionFigures(0, 0, 0, 0));
  }

  @Test
  void exactlyTheMinimumIsEnough() {
    assertThat(judge(tally(60, 0, 4).minus(tally(10, 0, 4)), tally(1000, 0, 4)).kind())
        .isEqualTo(VerdictKind.PASSED);
  }

  @Test
  void aHigherErrorRateFailsWithBothRatesAndTheLimit() {
    Verdict v = judge(tally(1000, 120, 4), tally(1000, 1, 3));
    assertThat(v.kind()).isEqualTo(VerdictKind.FAILED);
    assertThat(v.measure()).isEqualTo("error rate");
    assertThat(v.message())
        .isEqualTo("canary error rate 12.0 % > stable 0.1 % + 1 % over 1000 requests");
    assertThat(v.canary()).isEqualTo(new VersionFigures(1000, 120, 12.0, 4.0));
    assertThat(v.stable().errorRatePercent()).isEqualTo(0.1);
  }

  @Test
  void theErrorRateLimitIsInclusive() {
    // stable 1.0 % + 1 = 2.0 %: 2.0 % passes, 2.1 % fails.
    assertThat(judge(tally(1000, 20, 4), tally(1000, 10, 4)).kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(judge(tally(1000, 21, 4), tally(1000, 10, 4)).kind()).isEqualTo(VerdictKind.FAILED);
  }

  @Test
  void aLimitReachedOnlyByRoundingIsNotExceeded() {
    // 0.3 + 0.6 is 0.8999999999999999 in doubles; 0.9 % is within it.
    Verdict v =
        CanaryJudge.judge(
            tally(1000, 9, 4), tally(1000, 3, 4), new AnalysisThresholds(0.6, 50, 50, 50));
    assertThat(v.kind()).isEqualTo(VerdictKind.PASSED);
  }

  @Test
  void aFractionalLimitIsWrittenAsConfigured() {
    Verdict v =
        CanaryJudge.judge(
            tally(1000, 10, 4), tally(1000, 0, 4), new AnalysisThresholds(0.5, 50, 50, 50));
    assertThat(v.message())
        .isEqualTo("canary error rate 1.0 % > stable 0.0 % + 0.5 % over 1000 requests");
  }

  @Test
  void aSlowerCanaryFailsOnLatency() {
    Verdict v = judge(tally(1000, 0, 412), tally(1000, 0, 38));
    assertThat(v.kind()).isEqualTo(VerdictKind.FAILED);
    assertThat(v.measure()).isEqualTo("latency");
    assertThat(v.message())
        .isEqualTo("canary p95 latency 412 ms > stable 38 ms + 50 % over 1000 requests");
    assertThat(v.canary().p95Millis()).isEqualTo(412.0);
    assertThat(v.stable().p95Millis()).isEqualTo(38.0);
  }

  @Test
  void aCanaryPastTheLastBucketIsWrittenAsAtLeastThatBound() {
    RequestTally stuck =
        new RequestTally(
            1000,
            0,
            new LatencyHistogram(
                List.of(new Bucket(5.0, 900), new Bucket(Double.POSITIVE_INFINITY, 1000))));
    Verdict v = judge(stuck, tally(1000, 0, 38));
    assertThat(v.message())
        .isEqualTo("canary p95 latency ≥ 5000 ms > stable 38 ms + 50 % over 1000 requests");
    assertThat(v.canary().p95Millis()).isEqualTo(5000.0);
  }

  @Test
  void latencyMustExceedBothTheRelativeLimitAndTheNoiseFloor() {
    // 40 ms is 20 times 2 ms but only 38 ms more: below the 50 ms floor.
    Verdict v = judge(tally(1000, 0, 40), tally(1000, 0, 2));
    assertThat(v.kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(v.measure()).isEqualTo("error rate and latency");
    assertThat(v.message())
        .isEqualTo("canary error rate 0.0 %, p95 40 ms; stable 0.0 %, 2 ms; 1000 canary requests");
  }

  @Test
  void bothLatencyLimitsAreInclusive() {
    AnalysisThresholds limits = new AnalysisThresholds(1.0, 50, 10, 50);
    // relative: 100 ms + 50 % = 150 ms.
    assertThat(slower(150, 100, limits)).isFalse();
    assertThat(slower(151, 100, limits)).isTrue();
    // absolute: 100 ms + 50 % allows 150 ms, but the floor of 60 ms decides above it.
    AnalysisThresholds floor = new AnalysisThresholds(1.0, 50, 60, 50);
    assertThat(slower(160, 100, floor)).isFalse();
    assertThat(slower(161, 100, floor)).isTrue();
    // relative limit 0: any increase beyond the floor.
    assertThat(slower(100.5, 100, new AnalysisThresholds(1.0, 0, 0, 50))).isTrue();
  }

  private static boolean slower(double canaryMs, double stableMs, AnalysisThresholds limits) {
    return CanaryJudge.judge(tally(1000, 0, canaryMs), tally(1000, 0, stableMs), limits).kind()
        == VerdictKind.FAILED;
  }

  @Test
  void theErrorRateIsJudgedBeforeLatency() {
    Verdict v = judge(tally(1000, 100, 900), tally(1000, 0, 38));
    assertThat(v.measure()).isEqualTo("error rate");
  }

  @Test
  void aPassShowsBothVersionsFiguresWithSubMillisecondPrecision() {
    Verdict v = judge(tally(840, 0, 0.4), tally(2000, 2, 2.5));
    assertThat(v.kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(v.message())
        .isEqualTo(
            "canary error rate 0.0 %, p95 0.4 ms; stable 0.1 %, 2.5 ms; 840 canary requests");
  }

  @Test
  void withoutStableTrafficTheCanaryIsHeldToZeroErrorsAndLatencyIsNotCompared() {
    Verdict passed = judge(tally(1000, 0, 900), RequestTally.EMPTY);
    assertThat(passed.kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(passed.measure()).isEqualTo("error rate");
    assertThat(passed.message())
        .isEqualTo(
            "canary error rate 0.0 %, p95 900 ms; no stable requests, latency not compared;"
                + " 1000 canary requests");

    Verdict failed = judge(tally(1000, 30, 4), RequestTally.EMPTY);
    assertThat(failed.kind()).isEqualTo(VerdictKind.FAILED);
    assertThat(failed.message())
        .isEqualTo(
            "canary error rate 3.0 % > 0 % + 1 % over 1000 requests"
                + " (no stable requests to compare with)");
  }

  @Test
  void stableBelowTheMinimumIsNoBaselineEither() {
    // Stable's 20 % of 20 requests would excuse the canary's 3 %; too few to rely on.
    Verdict v = judge(tally(1000, 30, 4), tally(20, 4, 3));
    assertThat(v.message())
        .isEqualTo(
            "canary error rate 3.0 % > 0 % + 1 % over 1000 requests"
                + " (only 20 stable requests to compare with)");
    Verdict passed = judge(tally(1000, 0, 900), tally(20, 0, 3));
    assertThat(passed.message())
        .isEqualTo(
            "canary error rate 0.0 %, p95 900 ms; only 20 stable requests, latency not compared;"
                + " 1000 canary requests");
  }
}
