package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses how the running operator reads pods' {@code /metrics}, by the environment variable
 * {@value #ENV}: {@code direct} (pod IPs, {@link DirectPodMetricsSource}), {@code apiserver} (the
 * API server's pod proxy, {@link ApiServerPodMetricsSource}), {@code never} (every read fails
 * saying so: for simulated pods, whose IPs nothing may be sent to), or {@code auto}, the default:
 * direct inside a cluster (KUBERNETES_SERVICE_HOST set), else through the API server, since a
 * workstation cannot reach pod IPs.
 */
public final class PodMetricsSources {

  public static final String ENV = "CANARY_METRICS_READS";

  /** How long one pod may take to answer, connection included. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The app's whole exposition is tens of kilobytes; far more is not the app. */
  static final int MAX_BYTES = 4 << 20;

  /** The ways to reach a pod, and not to. */
  public enum Mode {
    DIRECT,
    APISERVER,
    NEVER
  }

  private PodMetricsSources() {}

  public static PodMetricsSource fromEnvironment(Map<String, String> env, KubernetesClient client) {
    return switch (mode(env)) {
      case DIRECT -> new DirectPodMetricsSource();
      case APISERVER -> new ApiServerPodMetricsSource(client);
      case NEVER ->
          (pod, port) -> {
            throw new java.io.IOException("not read: " + ENV + "=never");
          };
    };
  }

  /**
   * The mode {@value #ENV} asks for; blank counts as unset, as Kubernetes passes {@code value: ""}.
   * Any other value is refused at startup rather than guessed at.
   */
  public static Mode mode(Map<String, String> env) {
    String value = env.getOrDefault(ENV, "").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "direct" -> Mode.DIRECT;
      case "apiserver" -> Mode.APISERVER;
      case "never" -> Mode.NEVER;
      case "", "auto" -> {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        yield host != null && !host.isBlank() ? Mode.DIRECT : Mode.APISERVER;
      }
      default ->
          throw new IllegalArgumentException(
              ENV + " must be direct, apiserver, never or auto, not '" + env.get(ENV) + "'");
    };
  }

  /** {@code 2 s}, {@code 0.2 s}: a timeout as the failure messages write it. */
  static String seconds(Duration timeout) {
    return MessageNumbers.limit(timeout.toMillis() / 1000.0) + " s";
  }
}
