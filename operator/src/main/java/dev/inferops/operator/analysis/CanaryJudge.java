package dev.inferops.operator.analysis;

import static dev.inferops.operator.analysis.MessageNumbers.limit;
import static dev.inferops.operator.analysis.MessageNumbers.millis;
import static dev.inferops.operator.analysis.MessageNumbers.rate;

import dev.inferops.operator.analysis.LatencyHistogram.Estimate;
import java.util.Optional;

/**
 * Judges a window's canary traffic against stable's: first enough traffic, then the error rate,
 * then p95 latency. Pure, so every rule and message is tested without pods.
 *
 * <p>Stable serves as the baseline only with at least as many requests as the canary needs (and at
 * least one). Below that its rate and p95 are noise, so the canary's error rate is held against 0 %
 * plus the allowed increase, and latency is not compared; the message says so. That errs towards
 * aborting, the safe side for a rollout.
 */
final class CanaryJudge {

  static final double QUANTILE = 0.95;

  // Rates and limits are sums and quotients of doubles; a difference this small is rounding, not
  // a canary worse than allowed.
  private static final double ROUNDING = 1e-9;

  private CanaryJudge() {}

  static Verdict judge(RequestTally canary, RequestTally stable, AnalysisThresholds limits) {
    Side c = Side.of(canary);
    Side s = Side.of(stable);
    long needed = Math.max(1, limits.minRequests());
    if (canary.requests() < needed) {
      return verdict(
          VerdictKind.INCONCLUSIVE,
          Verdict.MEASURE_TRAFFIC,
          "inconclusive: "
              + canary.requests()
              + " canary requests in the window, "
              + needed
              + " needed",
          c,
          s);
    }
    boolean stableComparable = stable.requests() >= needed;
    String noStable =
        stable.requests() == 0
            ? "no stable requests"
            : "only " + stable.requests() + " stable requests";

    double allowedRate =
        (stableComparable ? s.figures.errorRatePercent() : 0)
            + limits.maxErrorRateIncreasePercent();
    if (c.figures.errorRatePercent() > allowedRate + ROUNDING) {
      String against =
          stableComparable ? "stable " + rate(s.figures.errorRatePercent()) + " %" : "0 %";
      String why = stableComparable ? "" : " (" + noStable + " to compare with)";
      return verdict(
          VerdictKind.FAILED,
          Verdict.MEASURE_ERROR_RATE,
          "canary error rate "
              + rate(c.figures.errorRatePercent())
              + " % > "
              + against
              + " + "
              + limit(limits.maxErrorRateIncreasePercent())
              + " % over "
              + canary.requests()
              + " requests"
              + why,
          c,
          s);
    }

    boolean latencyCompared = stableComparable && c.p95.isPresent() && s.p95.isPresent();
    if (latencyCompared && slower(c.figures.p95Millis(), s.figures.p95Millis(), limits)) {
      return verdict(
          VerdictKind.FAILED,
          Verdict.MEASURE_LATENCY,
          "canary p95 latency "
              + c.p95Text()
              + " > stable "
              + s.p95Text()
              + " + "
              + limits.maxLatencyIncreasePercent()
              + " % over "
              + canary.requests()
              + " requests",
          c,
          s);
    }

    String stablePart =
        stableComparable
            ? "stable " + rate(s.figures.errorRatePercent()) + " %, " + s.p95Text()
            : noStable + ", latency not compared";
    return verdict(
        VerdictKind.PASSED,
        latencyCompared ? Verdict.MEASURE_ALL : Verdict.MEASURE_ERROR_RATE,
        "canary error rate "
            + rate(c.figures.errorRatePercent())
            + " %, p95 "
            + c.p95Text()
            + "; "
            + stablePart
            + "; "
            + canary.requests()
            + " canary requests",
        c,
        s);
  }

  /**
   * Worse by both the relative limit and the absolute noise floor: 2 ms against 1 ms doubles the
   * latency but no user notices, and 1.2 s against 1 s is well above any floor but may be in
   * bounds.
   */
  static boolean slower(double canaryMs, double stableMs, AnalysisThresholds limits) {
    double allowed = stableMs * (1 + limits.maxLatencyIncreasePercent() / 100.0);
    return canaryMs > allowed + ROUNDING
        && canaryMs - stableMs > limits.latencyToleranceMillis() + ROUNDING;
  }

  private static Verdict verdict(
      VerdictKind kind, String measure, String message, Side canary, Side stable) {
    return new Verdict(kind, measure, message, canary.figures, stable.figures);
  }

  /** One version's figures and its p95 estimate, which knows whether it is only a lower bound. */
  private record Side(VersionFigures figures, Optional<Estimate> p95) {

    static Side of(RequestTally tally) {
      Optional<Estimate> p95 = tally.latency().quantile(QUANTILE);
      double rate = tally.requests() == 0 ? 0 : tally.errors() * 100.0 / tally.requests();
      double ms = p95.map(e -> e.seconds() * 1000).orElse(0.0);
      return new Side(new VersionFigures(tally.requests(), tally.errors(), rate, ms), p95);
    }

    /** {@code 412 ms}, or {@code ≥ 5000 ms} when past the last finite bucket. */
    String p95Text() {
      return p95.map(e -> (e.beyondLastBound() ? "≥ " : "") + millis(e.seconds() * 1000) + " ms")
          .orElse("unknown");
    }
  }
}
