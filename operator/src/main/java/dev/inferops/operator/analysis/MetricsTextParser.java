package dev.inferops.operator.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the app's {@code /metrics} text into a {@link PodReading}: the prediction requests of the
 * histogram {@code http_server_requests_seconds} (labels {@code route}, {@code status}, {@code
 * le}), the shadow counters {@code inference_shadow_*_total} and the process start time. Every line
 * is checked for syntax, every other family is skipped. The Prometheus Java client only writes this
 * format and no maintained Java library reads it, hence this small parser.
 */
final class MetricsTextParser {

  static final String FAMILY = "http_server_requests_seconds";
  private static final String BUCKET = FAMILY + "_bucket";
  private static final String START_TIME = "process_start_time_seconds";
  private static final String SHADOW = "inference_shadow_";

  /** One route and status: the unit the app records and the exposition writes buckets for. */
  private record Series(String route, String status) {}

  private MetricsTextParser() {}

  static PodReading parse(String text) throws MetricsFormatException {
    Map<Series, TreeMap<Double, Long>> series = new HashMap<>();
    double startTime = Double.NaN;
    Map<String, Long> shadow = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line =
          lines[n].endsWith("\r") ? lines[n].substring(0, lines[n].length() - 1) : lines[n];
      try {
        if (line.isBlank()) {
          continue;
        }
        if (line.startsWith("#")) {
          checkType(line);
          continue;
        }
        Sample sample = SampleLineParser.parse(line);
        if (sample.name().equals(BUCKET)) {
          addBucket(series, sample);
        } else if (sample.name().equals(START_TIME)) {
          startTime = sample.value();
        } else if (sample.name().startsWith(SHADOW) && sample.name().endsWith("_total")) {
          shadow.merge(sample.name(), count(sample.name(), sample.value()), Long::sum);
        }
      } catch (MetricsFormatException e) {
        throw new MetricsFormatException(
            "line " + (n + 1) + " is not Prometheus text: " + e.getMessage());
      }
    }
    return new PodReading(startTime, tally(series), shadow(shadow));
  }

  /** The app's shadow counters; all 0 for an app that has none (an older image). */
  private static ShadowTally shadow(Map<String, Long> counters) {
    return new ShadowTally(
        counters.getOrDefault(SHADOW + "copied_total", 0L),
        counters.getOrDefault(SHADOW + "compared_total", 0L),
        counters.getOrDefault(SHADOW + "agreed_total", 0L),
        counters.getOrDefault(SHADOW + "dropped_total", 0L),
        counters.getOrDefault(SHADOW + "failed_total", 0L));
  }

  private static long count(String what, double value) throws MetricsFormatException {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new MetricsFormatException(what + " " + value);
    }
    return Math.round(value);
  }

  /** A family of this name that is not a histogram (a summary, say) has no buckets to read. */
  private static void checkType(String comment) throws MetricsFormatException {
    String[] words = comment.substring(1).trim().split("[ \t]+");
    if (words.length >= 3 && words[0].equals("TYPE") && words[1].equals(FAMILY)) {
      if (!words[2].equals("histogram")) {
        throw new MetricsFormatException(FAMILY + " is a " + words[2] + ", not a histogram");
      }
    }
  }

  private static void addBucket(Map<Series, TreeMap<Double, Long>> series, Sample sample)
      throws MetricsFormatException {
    String route = required(sample, "route");
    String status = required(sample, "status");
    double bound = SampleLineParser.parseFloat(required(sample, "le"));
    if (Double.isNaN(bound)) {
      throw new MetricsFormatException("bucket bound le=\"NaN\"");
    }
    long count = count("bucket count", sample.value());
    if (!PredictionRoutes.isPrediction(route)) {
      return;
    }
    TreeMap<Double, Long> buckets =
        series.computeIfAbsent(new Series(route, status), s -> new TreeMap<>());
    if (buckets.put(bound, count) != null) {
      throw new MetricsFormatException("bucket le=\"" + bound + "\" of route " + route + " twice");
    }
  }

  private static String required(Sample sample, String label) throws MetricsFormatException {
    String value = sample.labels().get(label);
    if (value == null) {
      throw new MetricsFormatException(sample.name() + " without the label " + label);
    }
    return value;
  }

  private static RequestTally tally(Map<Series, TreeMap<Double, Long>> series)
      throws MetricsFormatException {
    RequestTally sum = RequestTally.EMPTY;
    for (Map.Entry<Series, TreeMap<Double, Long>> entry : series.entrySet()) {
      Series s = entry.getKey();
      TreeMap<Double, Long> buckets = entry.getValue();
      Long all = buckets.get(Double.POSITIVE_INFINITY);
      if (all == null) {
        throw new MetricsFormatException(
            "route " + s.route() + " status " + s.status() + " has no le=\"+Inf\" bucket");
      }
      List<LatencyHistogram.Bucket> list = new ArrayList<>();
      buckets.forEach((bound, count) -> list.add(new LatencyHistogram.Bucket(bound, count)));
      long errors = PredictionRoutes.isError(s.status()) ? all : 0;
      sum = sum.plus(new RequestTally(all, errors, new LatencyHistogram(list)));
    }
    return sum;
  }
}
