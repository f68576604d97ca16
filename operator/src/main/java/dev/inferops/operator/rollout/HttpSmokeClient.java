package dev.inferops.operator.rollout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The smoke client of a running operator: plain HTTP, no redirects, no proxy, and a new connection
 * for every request. A kept-alive connection to a ClusterIP stays with the pod it first reached
 * after the Service's selector has moved on: the next rollout's smoke test would be answered by the
 * pods of the revision before it, which keep serving while they drain.
 */
public final class HttpSmokeClient implements SmokeClient {

  @Override
  public Response post(URI uri, String jsonBody, Duration timeout)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
            .build());
  }

  @Override
  public Response get(URI uri, Duration timeout) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build());
  }

  /**
   * Sends on a client of its own, so no pooled connection exists to reuse (this JDK's client cannot
   * be told to close one); a smoke test is a few requests per rollout, and each client's thread
   * ends once the client is collected.
   */
  private static Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .proxy(HttpClient.Builder.NO_PROXY)
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }
}
