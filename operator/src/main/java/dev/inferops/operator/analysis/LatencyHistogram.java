package dev.inferops.operator.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongBinaryOperator;

/**
 * A cumulative latency histogram: for each upper bound in seconds, how many requests took at most
 * that long; bounds ascending, the last one {@code +Inf}, or no buckets at all when nothing was
 * recorded.
 */
record LatencyHistogram(List<Bucket> buckets) {

  /** Requests that took at most {@code upperBound} seconds. */
  record Bucket(double upperBound, long count) {}

  /**
   * A quantile in seconds; {@code beyondLastBound} when it fell into the {@code +Inf} bucket, so
   * that {@code seconds} is the highest finite bound and the true value is at least that.
   */
  record Estimate(double seconds, boolean beyondLastBound) {}

  static final LatencyHistogram EMPTY = new LatencyHistogram(List.of());

  LatencyHistogram {
    buckets = List.copyOf(buckets);
  }

  /** All requests recorded: the {@code +Inf} bucket. */
  long total() {
    return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1).count();
  }

  LatencyHistogram plus(LatencyHistogram other) {
    return combine(other, Long::sum);
  }

  /** The requests recorded since {@code baseline}, read earlier from the same process. */
  LatencyHistogram minus(LatencyHistogram baseline) {
    return baseline.buckets.isEmpty() ? this : combine(baseline, (a, b) -> a - b);
  }

  /** Whether any count is lower than in {@code baseline}: the process started again since. */
  boolean anyBelow(LatencyHistogram baseline) {
    if (baseline.buckets.isEmpty()) {
      return false;
    }
    if (buckets.isEmpty()) {
      return baseline.total() > 0;
    }
    return combine(baseline, (a, b) -> a < b ? 1 : 0).buckets.stream().anyMatch(x -> x.count > 0);
  }

  /**
   * Bucket by bucket over the bounds both have. Versions of an app could differ in their buckets; a
   * cumulative count is exact at a bound both histograms share, so dropping the others loses
   * resolution but never counts a request in the wrong bucket. {@code +Inf} is always shared.
   */
  private LatencyHistogram combine(LatencyHistogram other, LongBinaryOperator op) {
    if (buckets.isEmpty()) {
      return other;
    }
    if (other.buckets.isEmpty()) {
      return this;
    }
    List<Bucket> result = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < buckets.size() && j < other.buckets.size()) {
      Bucket a = buckets.get(i);
      Bucket b = other.buckets.get(j);
      int order = Double.compare(a.upperBound, b.upperBound);
      if (order == 0) {
        result.add(new Bucket(a.upperBound, op.applyAsLong(a.count, b.count)));
      }
      i += order <= 0 ? 1 : 0;
      j += order >= 0 ? 1 : 0;
    }
    return new LatencyHistogram(result);
  }

  /**
   * The {@code q} quantile the way Prometheus' {@code histogram_quantile} computes it: find the
   * bucket the rank falls into and interpolate linearly between its lower and upper bound (the
   * first bucket starts at 0). Empty when nothing was recorded or no bound is finite.
   */
  Optional<Estimate> quantile(double q) {
    int last = buckets.size() - 1;
    if (last < 1 || total() == 0) {
      return Optional.empty();
    }
    double rank = q * total();
    long previous = 0;
    for (int b = 0; b < last; b++) {
      // Counts that go down between buckets would be a torn read; Prometheus evens them out too.
      long count = Math.max(previous, buckets.get(b).count);
      if (count >= rank) {
        double upper = buckets.get(b).upperBound;
        if (b == 0 && upper <= 0) {
          return Optional.of(new Estimate(upper, false));
        }
        double lower = b == 0 ? 0 : buckets.get(b - 1).upperBound;
        double fraction = (rank - previous) / (count - previous);
        return Optional.of(new Estimate(lower + (upper - lower) * fraction, false));
      }
      previous = count;
    }
    // Past every finite bound: all that is known is that it is at least the highest one.
    return Optional.of(new Estimate(buckets.get(last - 1).upperBound, true));
  }
}
