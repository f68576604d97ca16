package dev.inferops.operator.analysis;

/**
 * What one version's pods served over the window: prediction requests, those that failed with a
 * 5xx, the error rate in percent and the p95 latency. Rate and p95 are 0 when there were no
 * requests (never NaN, so the figures can go into a status as JSON numbers).
 */
public record VersionFigures(
    long requests, long errors, double errorRatePercent, double p95Millis) {

  /** Nothing measured: the window just started or a pod could not be read. */
  public static final VersionFigures NONE = new VersionFigures(0, 0, 0, 0);
}
