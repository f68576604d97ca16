package dev.inferops.operator.rollout;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Smoke requests through the API server's service proxy ({@code
 * /api/v1/namespaces/NS/services/http:NAME:PORT/proxy/...}) with the operator's own client and
 * credentials: an operator outside the cluster ({@code make run}) cannot route to a ClusterIP, but
 * the API server can. Needs {@code get} and {@code create} on {@code services/proxy}, which the
 * in-cluster role leaves out: inside the cluster the ClusterIP is used.
 */
final class ApiServerSmokeClient implements SmokeClient {

  private final KubernetesClient client;

  ApiServerSmokeClient(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public URI serviceRoot(Service service, int port) {
    String master = client.getMasterUrl().toString();
    return URI.create(
        (master.endsWith("/") ? master : master + "/")
            + "api/v1/namespaces/"
            + encode(service.getMetadata().getNamespace())
            + "/services/http:"
            + encode(service.getMetadata().getName())
            + ":"
            + port
            + "/proxy/");
  }

  @Override
  public Response post(URI uri, String jsonBody, Duration timeout)
      throws IOException, InterruptedException {
    return send(
        client.getHttpClient().newHttpRequestBuilder().uri(uri).post("application/json", jsonBody),
        timeout);
  }

  @Override
  public Response get(URI uri, Duration timeout) throws IOException, InterruptedException {
    return send(client.getHttpClient().newHttpRequestBuilder().uri(uri), timeout);
  }

  private Response send(HttpRequest.Builder request, Duration timeout)
      throws IOException, InterruptedException {
    HttpClient http = client.getHttpClient();
    try {
      HttpResponse<String> response =
          http.sendAsync(
                  request.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build(), String.class)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(response.code(), response.body());
    } catch (ExecutionException e) {
      throw new IOException(e.getCause() == null ? e.toString() : e.getCause().toString(), e);
    } catch (TimeoutException e) {
      throw new IOException("no answer within " + timeout.toMillis() + " ms", e);
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
