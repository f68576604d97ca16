package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Compares a canary's prediction traffic with stable's over a window, from the app's own {@code
 * /metrics} on every pod: there is no Prometheus server, the operator reads the pods itself.
 *
 * <p>Per InferenceService it keeps the counters read when the current window started. A window's
 * traffic is, per pod, its counters now minus those at the start: a pod that appeared since counts
 * in full, a pod whose container restarted counts what it has counted since, a pod gone since drops
 * out. The pods' figures are summed per version. Requests are those of the prediction routes
 * ({@code /predict}, {@code /v1/models/{name}:predict}, {@code /v2/models/{name}/infer}), errors
 * their 5xx answers, and p95 is interpolated in the summed latency histogram as Prometheus' {@code
 * histogram_quantile} does.
 *
 * <p>Verdicts, in this order:
 *
 * <ol>
 *   <li>INCONCLUSIVE when a pod cannot be read ({@code could not read /metrics of pod x: connection
 *       refused}), no canary pod can be, or the canary served fewer than {@code minRequests} (at
 *       least one): {@code inconclusive: 12 canary requests in the window, 50 needed}.
 *   <li>FAILED on error rate: {@code canary error rate 12.0 % > stable 0.1 % + 1 % over 843
 *       requests}.
 *   <li>FAILED on latency, when p95 is both {@code maxLatencyIncreasePercent} and {@code
 *       latencyToleranceMillis} above stable's: {@code canary p95 latency 412 ms > stable 38 ms +
 *       50 % over 843 requests}; a p95 beyond the last bucket reads {@code ≥ 5000 ms}.
 *   <li>PASSED: {@code canary error rate 0.0 %, p95 4 ms; stable 0.1 %, 3 ms; 843 canary requests}.
 * </ol>
 *
 * <p>Stable serves as the baseline only with at least {@code minRequests} requests too; with fewer
 * its figures are noise, so the canary's error rate is held against 0 % plus the allowed increase
 * and latency is not compared, which the message says ({@code ... (no stable requests to compare
 * with)}, {@code ...; only 12 stable requests, latency not compared; ...}).
 *
 * <p>Only pods with an IP that are neither terminating nor finished are read, each once per call,
 * one after another. Thread-safe; calls for the same InferenceService are expected one at a time,
 * as the operator's reconciles are.
 */
public final class CanaryAnalyzer {

  private final PodMetricsSource source;
  private final ConcurrentMap<ResourceID, Window> windows = new ConcurrentHashMap<>();

  public CanaryAnalyzer(PodMetricsSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Reads every pod and judges the window {@code windowId} of {@code owner}.
   *
   * <p>The first call with a new {@code windowId} keeps the readings as the window's baseline and
   * answers INCONCLUSIVE ({@code window started ...}); it replaces the owner's previous window.
   * When a pod cannot be read then, nothing is kept (its traffic before the window would count as
   * the window's) and the next call tries again to start the window. Later calls with the same id
   * judge the traffic since the baseline.
   *
   * @param owner the InferenceService
   * @param windowId identifies the window, e.g. revision, step index and the step's start time
   * @param port the app's port serving {@code /metrics}
   */
  public Verdict analyse(
      ResourceID owner,
      String windowId,
      List<Pod> canaryPods,
      List<Pod> stablePods,
      int port,
      AnalysisThresholds thresholds) {
    List<Pod> canary = ReadablePods.of(canaryPods);
    List<Pod> stable = ReadablePods.of(stablePods);
    List<Pod> all = new ArrayList<>(canary);
    all.addAll(stable);
    PodReadings now;
    try {
      now = PodReadings.read(all, source, port);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Verdict.inconclusive(Verdict.MEASURE_METRICS, "interrupted while reading /metrics");
    }

    Window window = windows.get(owner);
    if (window == null || !window.id().equals(windowId)) {
      return start(owner, windowId, canary.size(), stable.size(), now);
    }
    if (now.anyFailed()) {
      return Verdict.inconclusive(Verdict.MEASURE_METRICS, now.failureMessage());
    }
    if (canary.isEmpty()) {
      return Verdict.inconclusive(
          Verdict.MEASURE_TRAFFIC, "inconclusive: no running canary pod with an IP to read");
    }
    return CanaryJudge.judge(window.since(canary, now), window.since(stable, now), thresholds);
  }

  /** Drops what is kept for {@code owner}: it was deleted, or its canary ended. */
  public void forget(ResourceID owner) {
    windows.remove(owner);
  }

  private Verdict start(
      ResourceID owner, String windowId, int canaryPods, int stablePods, PodReadings now) {
    if (now.anyFailed()) {
      windows.remove(owner);
      return Verdict.inconclusive(
          Verdict.MEASURE_WINDOW, "window not started: " + now.failureMessage());
    }
    windows.put(owner, new Window(windowId, now.all()));
    return Verdict.inconclusive(
        Verdict.MEASURE_WINDOW,
        "window started: baseline read from "
            + pods(canaryPods, "canary")
            + " and "
            + pods(stablePods, "stable"));
  }

  private static String pods(int count, String version) {
    return count + " " + version + " pod" + (count == 1 ? "" : "s");
  }
}
