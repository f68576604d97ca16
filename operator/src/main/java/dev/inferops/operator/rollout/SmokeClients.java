package dev.inferops.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The smoke client of a running operator, by SMOKE_TEST_REQUESTS: {@code always} (to the
 * ClusterIP), {@code apiserver} (through the API server's service proxy), {@code never}, or {@code
 * auto} (default): the ClusterIP inside a cluster (KUBERNETES_SERVICE_HOST set), else the API
 * server. An operator started on a workstation would otherwise send its requests to a ClusterIP
 * nothing on the machine routes, so they would leave through the default gateway.
 */
public final class SmokeClients {

  public static final String ENV = "SMOKE_TEST_REQUESTS";

  private SmokeClients() {}

  public static SmokeClient fromEnvironment(Map<String, String> env, KubernetesClient client) {
    String mode = env.getOrDefault(ENV, "auto").trim();
    return switch (mode) {
      case "always" -> new HttpSmokeClient();
      case "never" -> refusing(mode);
      case "apiserver" -> new ApiServerSmokeClient(client);
      default ->
          env.get("KUBERNETES_SERVICE_HOST") != null
              ? new HttpSmokeClient()
              : new ApiServerSmokeClient(client);
    };
  }

  private static SmokeClient refusing(String mode) {
    String refusal =
        "not sent: " + ENV + "=" + mode + "; set smokeTest.enabled: false, or " + ENV + "=auto";
    return new SmokeClient() {
      @Override
      public Response post(URI uri, String jsonBody, Duration timeout) throws IOException {
        throw new IOException(refusal);
      }

      @Override
      public Response get(URI uri, Duration timeout) throws IOException {
        throw new IOException(refusal);
      }
    };
  }
}
