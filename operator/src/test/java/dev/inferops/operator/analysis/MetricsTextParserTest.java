package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inferops.operator.analysis.LatencyHistogram.Bucket;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The /metrics text into prediction requests, on the app's real output and on broken text. */
class MetricsTextParserTest {

  /**
   * Captured from the app: 20 + 3 (503, while it was starting) + 1 (400) to /predict, 4 to the V1
   * predict route, 2 + 1 (400) to V2 infer, and a health check, a metadata read and a scrape that
   * must not count.
   */
  static String appMetrics() throws IOException {
    try (InputStream in =
        MetricsTextParserTest.class.getResourceAsStream("/analysis/inference-app-metrics.txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theAppsOwnExpositionYieldsItsPredictionRequestsAnd5xxOnly() throws IOException {
    PodReading reading = MetricsTextParser.parse(appMetrics());

    assertThat(reading.tally().requests()).isEqualTo(31);
    assertThat(reading.tally().errors()).isEqualTo(3);
    assertThat(reading.processStartSeconds()).isEqualTo(1.796226856686E9);
    assertThat(reading.tally().latency().buckets())
        .containsExactly(
            new Bucket(1.0E-4, 0),
            new Bucket(2.5E-4, 0),
            new Bucket(5.0E-4, 0),
            new Bucket(0.001, 5),
            new Bucket(0.002, 16),
            new Bucket(0.005, 24),
            new Bucket(0.01, 28),
            new Bucket(0.025, 29),
            new Bucket(0.05, 29),
            new Bucket(0.1, 31),
            new Bucket(0.25, 31),
            new Bucket(0.5, 31),
            new Bucket(1.0, 31),
            new Bucket(2.0, 31),
            new Bucket(5.0, 31),
            new Bucket(Double.POSITIVE_INFINITY, 31));
  }

  @Test
  void theAppsP95IsInterpolatedInTheBucketItFallsInto() throws IOException {
    // rank 0.95 * 31 = 29.45 falls in (0.05, 0.1], which holds requests 30 and 31:
    // 0.05 + 0.05 * (29.45 - 29) / (31 - 29) = 0.06125 s.
    var p95 = MetricsTextParser.parse(appMetrics()).tally().latency().quantile(0.95).orElseThrow();
    assertThat(p95.seconds()).isCloseTo(0.06125, within(1e-12));
    assertThat(p95.beyondLastBound()).isFalse();
  }

  @Test
  void noRequestsYetIsAnEmptyTallyNotAFailure() throws IOException {
    PodReading reading =
        MetricsTextParser.parse("# HELP inference_ready 1 when ready\ninference_ready 0.0\n");
    assertThat(reading.tally()).isEqualTo(RequestTally.EMPTY);
    assertThat(reading.processStartSeconds()).isNaN();
    assertThat(MetricsTextParser.parse("").tally()).isEqualTo(RequestTally.EMPTY);
  }

  @Test
  void escapedLabelValuesExponentsTimestampsAndCarriageReturnsAreRead() throws IOException {
    String text =
        String.join(
            "\r\n",
            "# a comment that is neither HELP nor TYPE",
            "other_family{path=\"C:\\\\temp\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",} 1.5e+3 1700000000000",
            "http_server_requests_seconds_bucket{route=\"/predict\",status=\"500\",le=\"2.5E-1\"} 4",
            "http_server_requests_seconds_bucket{ route = \"/predict\" , status=\"500\", le=\"+Inf\" } 6.0",
            "http_server_requests_seconds_bucket{route=\"/pre\\\"dict\",status=\"200\",le=\"+Inf\"} 9",
            "process_start_time_seconds\t1.7E9",
            "");
    PodReading reading = MetricsTextParser.parse(text);
    assertThat(reading.tally().requests()).isEqualTo(6);
    assertThat(reading.tally().errors()).isEqualTo(6);
    assertThat(reading.tally().latency().buckets())
        .containsExactly(new Bucket(0.25, 4), new Bucket(Double.POSITIVE_INFINITY, 6));
    assertThat(reading.processStartSeconds()).isEqualTo(1.7e9);
  }

  @Test
  void anHtmlPageIsRejectedWithTheLineAndWhy() {
    assertThatThrownBy(() -> MetricsTextParser.parse("<html><body>502 Bad Gateway</body></html>"))
        .isInstanceOf(IOException.class)
        .hasMessage("line 1 is not Prometheus text: expected a metric name at column 1");
  }

  @Test
  void brokenLinesAreRejectedWithTheirLineNumber() {
    assertRejected(
        "ok 1\nhttp_server_requests_seconds_bucket{route=\"/predict 1",
        "line 2 is not Prometheus text: label value not closed at column 54");
    assertRejected(
        "metric{a=\"x\"}",
        "line 1 is not Prometheus text: expected a blank and a value at column 14");
    assertRejected("metric 1d", "line 1 is not Prometheus text: not a number: '1d'");
    assertRejected("metric 0x10", "line 1 is not Prometheus text: not a number: '0x10'");
    assertRejected(
        "metric 1 12.5", "line 1 is not Prometheus text: not a timestamp: '12.5' at column 14");
    assertRejected(
        "metric{a=\"x\" b=\"y\"} 1",
        "line 1 is not Prometheus text: expected ',' or '}' after a label at column 14");
    assertRejected(
        "metric{a=\"\\t\"} 1",
        "line 1 is not Prometheus text: unknown escape in a label value at column 13");
    assertRejected(
        "metric{a=\"x\",a=\"y\"} 1",
        "line 1 is not Prometheus text: label a given twice at column 19");
    assertRejected(
        "metric{1a=\"x\"} 1", "line 1 is not Prometheus text: expected a label name at column 8");
  }

  @Test
  void theRequestHistogramMustBeWhole() {
    String bucket =
        "http_server_requests_seconds_bucket{route=\"/predict\",status=\"200\",le=\"%s\"} %s\n";
    assertRejected(
        bucket.formatted("0.1", "3"), "route /predict status 200 has no le=\"+Inf\" bucket");
    assertRejected(
        bucket.formatted("0.1", "3") + bucket.formatted("0.1", "3"),
        "line 2 is not Prometheus text: bucket le=\"0.1\" of route /predict twice");
    assertRejected(
        bucket.formatted("+Inf", "-1"), "line 1 is not Prometheus text: bucket count -1.0");
    assertRejected(
        bucket.formatted("NaN", "1"), "line 1 is not Prometheus text: bucket bound le=\"NaN\"");
    assertRejected(
        "http_server_requests_seconds_bucket{route=\"/predict\",le=\"+Inf\"} 1",
        "line 1 is not Prometheus text: http_server_requests_seconds_bucket without the label status");
    assertRejected(
        "# TYPE http_server_requests_seconds summary\n",
        "line 1 is not Prometheus text: http_server_requests_seconds is a summary, not a histogram");
  }

  @Test
  void otherRoutesAnd4xxAreNotPredictionsOrErrors() throws IOException {
    String text =
        new Exposition()
            .add("/health", 500, 7, 0.001)
            .add("/v1/models/{name}:explain", 200, 5, 0.001)
            .add("/v1/models/{name}:predict", 404, 2, 0.001)
            .add("/v2/models/{name}/infer", 500, 1, 0.001)
            .text();
    RequestTally tally = MetricsTextParser.parse(text).tally();
    assertThat(tally.requests()).isEqualTo(3);
    assertThat(tally.errors()).isEqualTo(1);
  }

  private static void assertRejected(String text, String message) {
    assertThatThrownBy(() -> MetricsTextParser.parse(text))
        .isInstanceOf(MetricsFormatException.class)
        .hasMessage(message);
  }
}
