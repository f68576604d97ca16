package dev.inferops.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes: one handler on "/" so unknown paths and methods get JSON answers and metrics.
 */
public final class Routes implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  public static final int MAX_BODY_BYTES = 1 << 20;
  // Reading (and discarding) a moderately oversized body lets the client see the 413 instead of a
  // connection reset; beyond this we just close.
  private static final int MAX_DRAIN_BYTES = 8 << 20;
  private static final byte[] DISCARD = new byte[64 * 1024];

  private static final String JSON = "application/json";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private static final String KSERVE_PREFIX = "/v1/models/";
  private static final String PREDICT_SUFFIX = ":predict";

  /** Route templates; also the metric label, so unknown paths share {@link #UNMATCHED}. */
  public enum Route {
    PREDICT("/predict", "POST"),
    MODELS("/v1/models", "GET"),
    MODEL("/v1/models/{name}", "GET"),
    MODEL_PREDICT("/v1/models/{name}:predict", "POST"),
    HEALTH("/health", "GET"),
    READY("/ready", "GET"),
    LIVE_V2("/v2/health/live", "GET"),
    READY_V2("/v2/health/ready", "GET"),
    METRICS("/metrics", "GET"),
    UNMATCHED("unmatched", null);

    private final String label;
    private final String method;

    Route(String label, String method) {
      this.label = label;
      this.method = method;
    }

    public String label() {
      return label;
    }
  }

  record Prediction(int label, double probability) {}

  record PredictResponse(List<Prediction> predictions, String model, String version) {}

  record KServePredictResponse(List<Prediction> predictions) {}

  record ModelStatus(String name, boolean ready) {}

  record ModelList(List<String> models) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ErrorBody(String error, String field) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Liveness(boolean live, String error) {}

  private record Response(int status, byte[] body, String contentType, String allow) {}

  private final Model model;
  private final InstanceValidator validator;
  private final Lifecycle lifecycle;
  private final AppMetrics metrics;
  private final ObjectWriter writer = Json.MAPPER.writer();

  public Routes(Model model, InstanceValidator validator, Lifecycle lifecycle, AppMetrics metrics) {
    this.model = model;
    this.validator = validator;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
  }

  @Override
  public void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getRawPath();
    Route route = match(path);
    Response response;
    try {
      response = dispatch(route, path, exchange);
    } catch (ApiException e) {
      response = error(e.status(), e.getMessage(), e.field());
    } catch (IOException e) {
      LOG.debug("could not read request to {}: {}", path, e.toString());
      response = error(400, "could not read the request body", null);
    } catch (RuntimeException e) {
      // A bug in this app, never the client's input: log it in full, tell the client little.
      LOG.error("unexpected error handling {} {}", exchange.getRequestMethod(), path, e);
      response = error(500, "internal server error", null);
    }
    try {
      send(exchange, response);
    } catch (IOException e) {
      LOG.debug("could not send response to {}: {}", path, e.toString());
    } finally {
      exchange.close();
      metrics.recordRequest(route, response.status(), System.nanoTime() - start);
    }
  }

  static Route match(String path) {
    switch (path) {
      case "/predict":
        return Route.PREDICT;
      case "/v1/models":
        return Route.MODELS;
      case "/health":
        return Route.HEALTH;
      case "/ready":
        return Route.READY;
      case "/v2/health/live":
        return Route.LIVE_V2;
      case "/v2/health/ready":
        return Route.READY_V2;
      case "/metrics":
        return Route.METRICS;
      default:
        break;
    }
    if (path.startsWith(KSERVE_PREFIX) && path.length() > KSERVE_PREFIX.length()) {
      String rest = path.substring(KSERVE_PREFIX.length());
      if (rest.indexOf('/') < 0) {
        return rest.endsWith(PREDICT_SUFFIX) ? Route.MODEL_PREDICT : Route.MODEL;
      }
    }
    return Route.UNMATCHED;
  }

  private Response dispatch(Route route, String path, HttpExchange exchange) throws IOException {
    if (route == Route.UNMATCHED) {
      return error(404, "no route for " + path, null);
    }
    if (!route.method.equals(exchange.getRequestMethod())) {
      Response r =
          error(
              405,
              "method " + exchange.getRequestMethod() + " is not allowed here; use " + route.method,
              null);
      return new Response(r.status(), r.body(), r.contentType(), route.method);
    }
    switch (route) {
      case PREDICT:
        return predict(exchange, true);
      case MODELS:
        return json(200, new ModelList(List.of(model.name())));
      case MODEL:
        checkModelName(path, "");
        return json(200, new ModelStatus(model.name(), lifecycle.isReady()));
      case MODEL_PREDICT:
        checkModelName(path, PREDICT_SUFFIX);
        return predict(exchange, false);
      case HEALTH:
        return lifecycle.isHealthy()
            ? json(200, new Health("ok", null))
            : json(500, new Health("unhealthy", "crashed as configured (CRASH_AFTER_SECONDS)"));
      case LIVE_V2:
        return lifecycle.isHealthy()
            ? json(200, new Liveness(true, null))
            : json(500, new Liveness(false, "crashed as configured (CRASH_AFTER_SECONDS)"));
      case READY:
      case READY_V2:
        String reason = lifecycle.notReadyReason();
        return reason == null
            ? json(200, new Readiness(true, null))
            : json(503, new Readiness(false, reason));
      case METRICS:
        return new Response(
            200, metrics.scrape().getBytes(StandardCharsets.UTF_8), PROMETHEUS, null);
      default:
        throw new IllegalStateException("route without handler: " + route);
    }
  }

  private void checkModelName(String path, String suffix) {
    String name = path.substring(KSERVE_PREFIX.length(), path.length() - suffix.length());
    if (!name.equals(model.name())) {
      throw new ApiException(
          404, "model '" + name + "' not found; this server serves '" + model.name() + "'", null);
    }
  }

  private Response predict(HttpExchange exchange, boolean bareApi) throws IOException {
    String reason = lifecycle.notReadyReason();
    if (reason != null) {
      throw new ApiException(503, "not ready: " + reason, null);
    }
    byte[] body = readBody(exchange);
    double[][] rows = validator.parse(body, body.length, bareApi);
    Prediction[] out = new Prediction[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double p = model.probability(rows[i]);
      int label = Model.label(p);
      metrics.recordPrediction(label);
      out[i] = new Prediction(label, p);
    }
    List<Prediction> predictions = Arrays.asList(out);
    return bareApi
        ? json(200, new PredictResponse(predictions, model.name(), model.version()))
        : json(200, new KServePredictResponse(predictions));
  }

  /** Reads at most {@link #MAX_BODY_BYTES}, whether or not the client sent a Content-Length. */
  private static byte[] readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    long declared = contentLength(exchange);
    if (declared > MAX_BODY_BYTES) {
      drain(in);
      throw tooLarge();
    }
    if (declared >= 0) {
      return in.readNBytes((int) declared);
    }
    // Chunked: no length up front, so read one byte past the cap to notice an oversized body.
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      drain(in);
      throw tooLarge();
    }
    return body;
  }

  private static long contentLength(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Content-Length");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void drain(InputStream in) throws IOException {
    long left = MAX_DRAIN_BYTES;
    int n;
    // The bytes are thrown away, so threads may share the scratch buffer.
    while (left > 0 && (n = in.read(DISCARD, 0, (int) Math.min(DISCARD.length, left))) > 0) {
      left -= n;
    }
  }

  private static ApiException tooLarge() {
    return new ApiException(413, "request body is larger than " + MAX_BODY_BYTES + " bytes", null);
  }

  private Response error(int status, String message, String field) {
    return json(status, new ErrorBody(message, field));
  }

  private Response json(int status, Object body) {
    try {
      return new Response(status, writer.writeValueAsBytes(body), JSON, null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", response.contentType());
    if (response.allow() != null) {
      headers.set("Allow", response.allow());
    }
    exchange.sendResponseHeaders(response.status(), response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }
}
