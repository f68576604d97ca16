package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts a shadow phase from the live pods' own {@code /metrics}: the requests they copied to the
 * preview, and how the preview's answers compared. The counters live as long as each pod's process,
 * over every shadow it ran, so per InferenceService the readings when this preview's shadow started
 * are kept as the baseline, as {@link CanaryAnalyzer} keeps a window's; a pod that appeared or
 * restarted since counts in full. An operator that restarts starts the count again.
 */
public final class ShadowMeter {

  private final PodMetricsSource source;
  private final ConcurrentMap<ResourceID, Window> windows = new ConcurrentHashMap<>();

  public ShadowMeter(PodMetricsSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Reads every live pod; the first call for a new {@code shadowId} keeps the readings as its
   * baseline and counts nothing yet.
   *
   * @param shadowId identifies one shadow phase, e.g. the preview's revision and attempt
   * @param port the app's port serving {@code /metrics}
   */
  public ShadowReading read(ResourceID owner, String shadowId, List<Pod> livePods, int port) {
    List<Pod> live = ReadablePods.of(livePods);
    if (live.isEmpty()) {
      return ShadowReading.unread("no running live pod with an IP to read");
    }
    PodReadings now;
    try {
      now = PodReadings.read(live, source, port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ShadowReading.unread("interrupted while reading /metrics");
    }
    if (now.anyFailed()) {
      return ShadowReading.unread(now.failureMessage());
    }
    Window window = windows.get(owner);
    if (window == null || !window.id().equals(shadowId)) {
      windows.put(owner, new Window(shadowId, now.all()));
      return ShadowReading.counted(
          ShadowTally.EMPTY,
          "counting from now on: baseline read from "
              + live.size()
              + " live pod"
              + (live.size() == 1 ? "" : "s"));
    }
    return ShadowReading.counted(
        window.shadowSince(live, now),
        "read from " + live.size() + " live pod" + (live.size() == 1 ? "" : "s"));
  }

  /** Drops what is kept for {@code owner}: its shadow ended, or it was deleted. */
  public void forget(ResourceID owner) {
    windows.remove(owner);
  }
}
