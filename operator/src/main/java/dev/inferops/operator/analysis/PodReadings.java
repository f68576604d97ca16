package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One read of a set of pods: a reading per pod key, and why the others could not be read. */
final class PodReadings {

  private static final Logger LOG = LoggerFactory.getLogger(PodReadings.class);

  /** Reasons are cut here: the message is one line of a status, not a log. */
  static final int MAX_REASON = 200;

  private final Map<String, PodReading> readings = new LinkedHashMap<>();
  private final Set<String> failed = new HashSet<>();
  private final List<String> failures = new ArrayList<>();

  private PodReadings() {}

  /** Reads every pod once, in order, even one listed twice. */
  static PodReadings read(Collection<Pod> pods, PodMetricsSource source, int port)
      throws InterruptedException {
    PodReadings result = new PodReadings();
    for (Pod pod : pods) {
      String key = ReadablePods.key(pod);
      if (result.readings.containsKey(key) || result.failed.contains(key)) {
        continue;
      }
      try {
        String text = source.scrape(pod, port);
        if (text == null) {
          throw new MetricsFormatException("no answer");
        }
        result.readings.put(key, MetricsTextParser.parse(text));
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        // Whatever a source throws, a client's runtime exception included, costs this pod's
        // reading only; the full exception goes to the log, the status gets one line.
        LOG.debug(
            "could not read /metrics of pod {}/{}",
            pod.getMetadata().getNamespace(),
            ReadablePods.name(pod),
            e);
        result.failed.add(key);
        result.failures.add(
            "could not read /metrics of pod " + ReadablePods.name(pod) + ": " + reason(e));
      }
    }
    return result;
  }

  PodReading get(Pod pod) {
    return readings.get(ReadablePods.key(pod));
  }

  Map<String, PodReading> all() {
    return Map.copyOf(readings);
  }

  boolean anyFailed() {
    return !failures.isEmpty();
  }

  /** The first failure, and how many more pods failed too. */
  String failureMessage() {
    String first = failures.get(0);
    int more = failures.size() - 1;
    return more == 0 ? first : first + " (and " + more + " more pod" + (more == 1 ? ")" : "s)");
  }

  static String reason(Exception e) {
    String message = e.getMessage();
    String text =
        message == null || message.isBlank()
            ? e.getClass().getSimpleName()
            : message.replaceAll("\\s+", " ").trim();
    return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 3) + "...";
  }
}
