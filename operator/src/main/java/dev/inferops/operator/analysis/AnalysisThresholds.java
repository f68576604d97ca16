package dev.inferops.operator.analysis;

/**
 * The limits a canary is judged by, from the spec with every field filled (defaults are applied
 * before this point).
 *
 * @param maxErrorRateIncreasePercent the canary fails when its error rate exceeds the stable one's
 *     by more than this many percentage points, e.g. {@code 1.0}
 * @param maxLatencyIncreasePercent the canary fails on latency when its p95 exceeds the stable p95
 *     by more than this percentage...
 * @param latencyToleranceMillis ...and by more than this many milliseconds, a noise floor that
 *     keeps sub-millisecond services from failing on a jitter, e.g. {@code 50}
 * @param minRequests fewer canary requests than this in the window give an inconclusive verdict;
 *     the stable version needs as many to serve as the baseline for comparison (see {@link
 *     CanaryAnalyzer})
 */
public record AnalysisThresholds(
    double maxErrorRateIncreasePercent,
    int maxLatencyIncreasePercent,
    int latencyToleranceMillis,
    int minRequests) {}
