package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads {@code http://<pod IP>:<port>/metrics} straight from the pod, for an operator running
 * inside the cluster, where pod IPs are reachable. No proxy (an {@code HTTP_PROXY} meant for the
 * internet must not see pod traffic), no redirects, and the whole exchange within a deadline, so a
 * stuck pod delays a reconcile by seconds, not minutes.
 */
public final class DirectPodMetricsSource implements PodMetricsSource {

  private final Duration timeout;
  private final HttpClient http;

  public DirectPodMetricsSource() {
    this(PodMetricsSources.TIMEOUT);
  }

  DirectPodMetricsSource(Duration timeout) {
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .proxy(HttpClient.Builder.NO_PROXY)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(timeout)
            .build();
  }

  @Override
  public String scrape(Pod pod, int port) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri(pod, port))
            .timeout(timeout)
            .header("Accept", "text/plain")
            .build();
    CompletableFuture<HttpResponse<byte[]>> answer =
        http.sendAsync(request, info -> new BoundedBody(PodMetricsSources.MAX_BYTES));
    HttpResponse<byte[]> response;
    try {
      // The request timeout covers the wait for the headers only; this covers the body too.
      response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new IOException("no answer within " + PodMetricsSources.seconds(timeout), e);
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
    if (response.statusCode() != 200) {
      throw new IOException("HTTP " + response.statusCode());
    }
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** {@code http://10.1.2.3:8000/metrics}; an IPv6 address goes in brackets. */
  static URI uri(Pod pod, int port) {
    String ip = pod.getStatus().getPodIP();
    String host = ip.contains(":") ? "[" + ip + "]" : ip;
    return URI.create("http://" + host + ":" + port + "/metrics");
  }

  /** The JDK client's exceptions often carry no message; these say what happened. */
  private IOException failure(Throwable cause) {
    String within = PodMetricsSources.seconds(timeout);
    if (cause instanceof HttpConnectTimeoutException) {
      return new IOException("no connection within " + within, cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return new IOException("no answer within " + within, cause);
    }
    if (cause instanceof ConnectException) {
      // JDK 17's client reports a refused connection as a ConnectException without any message
      // in its chain; where a message exists (no route to host, ...) it says more.
      String why = innermostMessage(cause);
      return new IOException(
          why == null ? "connection refused" : why.toLowerCase(Locale.ROOT), cause);
    }
    if (cause instanceof IOException io && io.getMessage() != null) {
      return io;
    }
    return new IOException(cause == null ? "failed" : cause.getClass().getSimpleName(), cause);
  }

  private static String innermostMessage(Throwable failure) {
    String message = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getMessage();
      }
    }
    return message;
  }
}
