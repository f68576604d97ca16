package dev.inferops.operator.analysis;

/**
 * The judgement of one analysis window.
 *
 * @param measure what decided it: one of the {@code MEASURE_*} constants
 * @param message one line for the InferenceService's status, no stack traces
 * @param canary the canary's figures, {@link VersionFigures#NONE} when nothing was measured
 * @param stable the stable version's figures, likewise
 */
public record Verdict(
    VerdictKind kind,
    String measure,
    String message,
    VersionFigures canary,
    VersionFigures stable) {

  /** The canary's 5xx share against stable's. */
  public static final String MEASURE_ERROR_RATE = "error rate";

  /** The canary's p95 against stable's. */
  public static final String MEASURE_LATENCY = "latency";

  /** Both measures passed (latency only when stable had enough traffic to compare with). */
  public static final String MEASURE_ALL = "error rate and latency";

  /** Too few canary requests, or no canary pod to read. */
  public static final String MEASURE_TRAFFIC = "traffic";

  /** A pod's {@code /metrics} could not be read or understood. */
  public static final String MEASURE_METRICS = "metrics";

  /** The window just started: these readings are the baseline. */
  public static final String MEASURE_WINDOW = "window";

  static Verdict inconclusive(String measure, String message) {
    return new Verdict(
        VerdictKind.INCONCLUSIVE, measure, message, VersionFigures.NONE, VersionFigures.NONE);
  }
}
