package dev.inferops.operator.rollout;

import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Sends one smoke request. Injected, so unit tests and the simulated-cluster tests (whose pods have
 * fake IPs no packet may go to) answer without a network.
 */
@FunctionalInterface
public interface SmokeClient {

  /** The status code and body of an answer. */
  record Response(int status, String body) {}

  Response post(URI uri, String jsonBody, Duration timeout)
      throws IOException, InterruptedException;

  /**
   * A GET, which only the smoke test of an ONNX model sends (for the model's V2 metadata); a client
   * made for heart models alone may leave it out and refuses it like an unreachable preview.
   */
  default Response get(URI uri, Duration timeout) throws IOException, InterruptedException {
    throw new IOException("this smoke client sends no GET requests");
  }

  /**
   * The root URL, ending in "/", under which this client reaches {@code service} on {@code port};
   * null while it cannot. By default its ClusterIP, which only routes inside the cluster.
   */
  default URI serviceRoot(Service service, int port) {
    String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
    if (ip == null || ip.isBlank() || "None".equals(ip)) {
      return null;
    }
    return URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port + "/");
  }
}
