package dev.inferops.operator.rollout;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The smoke client of a running operator, by SMOKE_TEST_REQUESTS: {@code always}, {@code never}, or
 * {@code auto} (default): only inside a cluster (KUBERNETES_SERVICE_HOST set). An operator started
 * on a workstation against a simulated cluster would otherwise send its requests to a ClusterIP
 * nothing on the machine routes, so they would leave through the default gateway.
 */
public final class SmokeClients {

  public static final String ENV = "SMOKE_TEST_REQUESTS";

  private SmokeClients() {}

  public static SmokeClient fromEnvironment(Map<String, String> env) {
    String mode = env.getOrDefault(ENV, "auto").trim();
    boolean send =
        switch (mode) {
          case "always" -> true;
          case "never" -> false;
          default -> env.get("KUBERNETES_SERVICE_HOST") != null;
        };
    return send ? new HttpSmokeClient() : refusing(mode);
  }

  private static SmokeClient refusing(String mode) {
    String refusal =
        "not sent: "
            + ENV
            + "="
            + mode
            + " outside a cluster; set smokeTest.enabled: false or "
            + ENV
            + "=always";
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
