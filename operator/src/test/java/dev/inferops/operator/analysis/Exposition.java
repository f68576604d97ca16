package dev.inferops.operator.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes {@code /metrics} text the way the app's Micrometer registry does, for requests the test
 * describes by route, status and latency; the bucket bounds are the app's.
 */
final class Exposition {

  static final double[] APP_BOUNDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0
  };

  private final Map<String, long[]> perBucket = new LinkedHashMap<>();
  private Double startTime;
  private long[] shadow;

  /** {@code count} requests to {@code route} answered {@code status} in {@code seconds} each. */
  Exposition add(String route, int status, long count, double seconds) {
    long[] buckets =
        perBucket.computeIfAbsent(route + "\u0000" + status, k -> new long[APP_BOUNDS.length + 1]);
    int i = 0;
    while (i < APP_BOUNDS.length && seconds > APP_BOUNDS[i]) {
      i++;
    }
    buckets[i] += count;
    return this;
  }

  Exposition predictions(long count, double seconds) {
    return add("/predict", 200, count, seconds);
  }

  Exposition errors(long count, double seconds) {
    return add("/predict", 503, count, seconds);
  }

  /** The app's shadow counters. */
  Exposition shadow(long copied, long compared, long agreed, long dropped, long failed) {
    this.shadow = new long[] {copied, compared, agreed, dropped, failed};
    return this;
  }

  Exposition startedAt(double epochSeconds) {
    this.startTime = epochSeconds;
    return this;
  }

  String text() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP http_server_requests_seconds HTTP requests by route and status\n");
    out.append("# TYPE http_server_requests_seconds histogram\n");
    perBucket.forEach(
        (key, buckets) -> {
          String[] parts = key.split("\u0000");
          String labels = "route=\"" + parts[0] + "\",status=\"" + parts[1] + "\"";
          long cumulative = 0;
          for (int i = 0; i <= APP_BOUNDS.length; i++) {
            cumulative += buckets[i];
            String le = i < APP_BOUNDS.length ? Double.toString(APP_BOUNDS[i]) : "+Inf";
            out.append("http_server_requests_seconds_bucket{")
                .append(labels)
                .append(",le=\"")
                .append(le)
                .append("\"} ")
                .append(cumulative)
                .append('\n');
          }
          out.append("http_server_requests_seconds_count{").append(labels).append("} ");
          out.append(cumulative).append('\n');
          out.append("http_server_requests_seconds_sum{").append(labels).append("} 0.5\n");
        });
    if (shadow != null) {
      String[] names = {"copied", "compared", "agreed", "dropped", "failed"};
      for (int i = 0; i < names.length; i++) {
        String family = "inference_shadow_" + names[i] + "_total";
        out.append("# HELP ").append(family).append(" Shadow copies\n");
        out.append("# TYPE ").append(family).append(" counter\n");
        // As Micrometer writes a counter: 12.0.
        out.append(family).append(' ').append((double) shadow[i]).append('\n');
      }
    }
    if (startTime != null) {
      out.append("# TYPE process_start_time_seconds gauge\n");
      // As Micrometer writes it: 1.796226856686E9.
      out.append("process_start_time_seconds ").append(startTime).append('\n');
    }
    return out.toString();
  }
}
