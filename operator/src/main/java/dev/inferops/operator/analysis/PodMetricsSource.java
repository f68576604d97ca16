package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;

/**
 * Reads one pod's {@code /metrics} text (the Prometheus text exposition). Injected, so tests answer
 * without a network; {@link PodMetricsSources} picks the real one.
 */
@FunctionalInterface
public interface PodMetricsSource {

  /**
   * The body of {@code GET /metrics} on {@code port} of {@code pod}; an {@link IOException} whose
   * message says in a few words why not (it ends up in the InferenceService's status).
   */
  String scrape(Pod pod, int port) throws IOException, InterruptedException;
}
