package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a pod's {@code /metrics} through the API server's pod proxy, {@code
 * /api/v1/namespaces/{namespace}/pods/{name}:{port}/proxy/metrics}, for an operator running outside
 * the cluster (a developer's {@code make run}), where pod IPs are not reachable.
 *
 * <p>Needs RBAC permission {@code get} on the subresource {@code pods/proxy} in the
 * InferenceService's namespace; without it every read fails with the API server's "forbidden" and
 * the analysis stays inconclusive. The request goes through the operator's own client (its
 * credentials and TLS) but without the client's retries, and within the same deadline as a direct
 * read.
 */
public final class ApiServerPodMetricsSource implements PodMetricsSource {

  private final HttpClient http;
  private final String masterUrl;
  private final KubernetesSerialization serialization;
  private final Duration timeout;

  public ApiServerPodMetricsSource(KubernetesClient client) {
    this(client, PodMetricsSources.TIMEOUT);
  }

  ApiServerPodMetricsSource(KubernetesClient client, Duration timeout) {
    // The client retries a 5xx up to ten times with growing pauses; the proxy's 503 for a pod it
    // cannot reach would hold the reconcile for minutes. The next analysis call is the retry.
    RequestConfig once =
        new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
            .withRequestRetryBackoffLimit(0)
            .build();
    this.http = client.getHttpClient().newBuilder().tag(once).build();
    this.masterUrl = client.getMasterUrl().toString().replaceAll("/+$", "");
    this.serialization = client.getKubernetesSerialization();
    this.timeout = timeout;
  }

  /** The proxy path: {@code /api/v1/namespaces/shop/pods/heart-7d9f-x2x:8000/proxy/metrics}. */
  public static String proxyPath(Pod pod, int port) {
    return "/api/v1/namespaces/"
        + pod.getMetadata().getNamespace()
        + "/pods/"
        + pod.getMetadata().getName()
        + ":"
        + port
        + "/proxy/metrics";
  }

  @Override
  public String scrape(Pod pod, int port) throws IOException, InterruptedException {
    if (pod.getMetadata().getNamespace() == null) {
      throw new IOException("pod has no namespace");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(masterUrl + proxyPath(pod, port))
            .header("Accept", "text/plain")
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    Collector body = new Collector();
    CompletableFuture<HttpResponse<AsyncBody>> answer = http.consumeBytes(request, body);
    HttpResponse<AsyncBody> response = await(answer, deadline, () -> answer.cancel(true));
    response.body().consume();
    try {
      await(response.body().done(), deadline, response.body()::cancel);
    } catch (IOException | CancellationException e) {
      // Cancelling the body, as the collector does past the limit, fails the transfer.
      if (!body.overflowed) {
        throw e instanceof IOException io ? io : new IOException("transfer cancelled", e);
      }
    }
    if (body.overflowed) {
      throw new IOException(
          "/metrics is larger than " + (PodMetricsSources.MAX_BYTES >> 20) + " MiB");
    }
    String text = body.bytes.toString(StandardCharsets.UTF_8);
    if (!response.isSuccessful()) {
      throw new IOException(
          "HTTP " + response.code() + " through the API server's pod proxy" + reason(text));
    }
    return text;
  }

  /** The API server's own words for a refusal, from the Status it answers with. */
  private String reason(String body) {
    if (!body.startsWith("{")) {
      return "";
    }
    try {
      Status status = serialization.unmarshal(body, Status.class);
      return status.getMessage() == null ? "" : ": " + status.getMessage();
    } catch (RuntimeException notAStatus) {
      return "";
    }
  }

  /** The future's value by the deadline; else {@code giveUp} ends the exchange. */
  private <T> T await(CompletableFuture<T> future, long deadline, Runnable giveUp)
      throws IOException, InterruptedException {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      giveUp.run();
      throw new IOException("no answer within " + PodMetricsSources.seconds(timeout), e);
    } catch (InterruptedException e) {
      giveUp.run();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause == null ? null : cause.getMessage();
      throw new IOException(
          message == null || message.isBlank() ? "API server unreachable" : message, cause);
    }
  }

  /** Collects the body up to the limit; past it, it stops the transfer and remembers why. */
  private static final class Collector implements AsyncBody.Consumer<List<ByteBuffer>> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile boolean overflowed;

    @Override
    public void consume(List<ByteBuffer> buffers, AsyncBody body) {
      for (ByteBuffer buffer : buffers) {
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
      if (bytes.size() > PodMetricsSources.MAX_BYTES) {
        overflowed = true;
        body.cancel();
      } else {
        body.consume();
      }
    }
  }
}
