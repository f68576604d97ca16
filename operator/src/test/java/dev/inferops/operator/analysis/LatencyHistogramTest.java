package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.inferops.operator.analysis.LatencyHistogram.Bucket;
import dev.inferops.operator.analysis.LatencyHistogram.Estimate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Quantiles as Prometheus' histogram_quantile computes them, and window arithmetic. */
class LatencyHistogramTest {

  private static final double INF = Double.POSITIVE_INFINITY;

  /** Buckets from alternating bound and cumulative count. */
  static LatencyHistogram histogram(double... boundsAndCounts) {
    List<Bucket> buckets = new ArrayList<>();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      buckets.add(new Bucket(boundsAndCounts[i], (long) boundsAndCounts[i + 1]));
    }
    return new LatencyHistogram(buckets);
  }

  private static double p95(LatencyHistogram h) {
    return h.quantile(0.95).orElseThrow().seconds();
  }

  @Test
  void interpolatesLinearlyInsideTheBucketTheRankFallsInto() {
    // rank 95 of 100: in (0.1, 0.2], which holds requests 51..100: 0.1 + 0.1 * 45/50 = 0.19.
    assertThat(p95(histogram(0.1, 50, 0.2, 100, INF, 100))).isCloseTo(0.19, within(1e-12));
    // rank 19 of 20 is the last request of (0.002, 0.005]: its upper bound exactly.
    assertThat(p95(histogram(0.001, 5, 0.002, 14, 0.005, 19, 0.01, 20, INF, 20)))
        .isCloseTo(0.005, within(1e-12));
    // rank 38 of 40: in (0.025, 0.05], requests 31..40: 0.025 + 0.025 * 8/10 = 0.045.
    assertThat(p95(histogram(0.01, 10, 0.025, 30, 0.05, 40, INF, 40)))
        .isCloseTo(0.045, within(1e-12));
  }

  @Test
  void theFirstBucketStartsAtZero() {
    // rank 95 of 100, all in (0, 0.1]: 0.1 * 95/100.
    assertThat(p95(histogram(0.1, 100, INF, 100))).isCloseTo(0.095, within(1e-12));
  }

  @Test
  void aRankInTheInfBucketGivesTheHighestFiniteBoundAsALowerLimit() {
    Estimate e = histogram(0.1, 10, 5.0, 90, INF, 100).quantile(0.95).orElseThrow();
    assertThat(e).isEqualTo(new Estimate(5.0, true));
  }

  @Test
  void countsThatGoDownBetweenBucketsAreEvenedOutAsPrometheusDoes() {
    // 0.2's 40 is read as 60; rank 95 of 100 then falls in (0.2, 0.5]: 0.2 + 0.3 * 35/40.
    assertThat(p95(histogram(0.1, 60, 0.2, 40, 0.5, 100, INF, 100)))
        .isCloseTo(0.4625, within(1e-12));
  }

  @Test
  void noRequestsOrNoFiniteBoundGiveNoEstimate() {
    assertThat(LatencyHistogram.EMPTY.quantile(0.95)).isEmpty();
    assertThat(histogram(0.1, 0, INF, 0).quantile(0.95)).isEmpty();
    assertThat(histogram(INF, 10).quantile(0.95)).isEmpty();
  }

  @Test
  void sumsAndDifferencesAreTakenOverTheBoundsBothHave() {
    LatencyHistogram a = histogram(0.1, 1, 0.2, 2, 0.5, 3, INF, 4);
    LatencyHistogram b = histogram(0.1, 10, 0.3, 20, 0.5, 30, INF, 40);
    assertThat(a.plus(b)).isEqualTo(histogram(0.1, 11, 0.5, 33, INF, 44));
    assertThat(b.minus(a)).isEqualTo(histogram(0.1, 9, 0.5, 27, INF, 36));
  }

  @Test
  void theEmptyHistogramChangesNothing() {
    LatencyHistogram a = histogram(0.1, 1, INF, 4);
    assertThat(a.plus(LatencyHistogram.EMPTY)).isEqualTo(a);
    assertThat(LatencyHistogram.EMPTY.plus(a)).isEqualTo(a);
    assertThat(a.minus(LatencyHistogram.EMPTY)).isEqualTo(a);
  }

  @Test
  void aCountBelowTheBaselineMeansTheCountersStartedAgain() {
    LatencyHistogram before = histogram(0.1, 5, INF, 10);
    assertThat(histogram(0.1, 6, INF, 12).anyBelow(before)).isFalse();
    assertThat(histogram(0.1, 4, INF, 12).anyBelow(before)).isTrue();
    assertThat(histogram(0.1, 5, INF, 9).anyBelow(before)).isTrue();
    assertThat(LatencyHistogram.EMPTY.anyBelow(before)).isTrue();
    assertThat(before.anyBelow(LatencyHistogram.EMPTY)).isFalse();
  }
}
