package dev.inferops.operator.analysis;

/**
 * Prediction requests counted from a pod's counters (or a sum of pods'): all of them, the 5xx ones,
 * and their latency histogram. {@code requests} is the histogram's {@code +Inf} bucket, which the
 * exposition format defines as equal to {@code _count}, so the figures never disagree.
 */
record RequestTally(long requests, long errors, LatencyHistogram latency) {

  static final RequestTally EMPTY = new RequestTally(0, 0, LatencyHistogram.EMPTY);

  RequestTally plus(RequestTally other) {
    return new RequestTally(
        requests + other.requests, errors + other.errors, latency.plus(other.latency));
  }

  RequestTally minus(RequestTally baseline) {
    return new RequestTally(
        requests - baseline.requests, errors - baseline.errors, latency.minus(baseline.latency));
  }

  /**
   * Whether any counter is lower than in {@code baseline}. Counters only grow while a process
   * lives, so a lower one means the container started again and the baseline is void.
   */
  boolean fellBelow(RequestTally baseline) {
    return requests < baseline.requests
        || errors < baseline.errors
        || latency.anyBelow(baseline.latency);
  }
}
