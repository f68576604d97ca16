package dev.inferops.app;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a method and path to the protocol that serves it (bare, KServe V1, Open Inference Protocol
 * V2) and turns every failure into the one JSON error shape.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  public static final int MAX_BODY_BYTES = 1 << 20;

  static final String V1_MODELS = "/v1/models/";
  static final String V2_MODELS = "/v2/models/";

  /** Route templates; also the metric label, so unknown paths share {@link #UNMATCHED}. */
  public enum Route {
    PREDICT("/predict", "POST"),
    HEALTH("/health", "GET"),
    READY("/ready", "GET"),
    METRICS("/metrics", "GET"),
    ROOT("/", "GET"),
    MODELS("/v1/models", "GET"),
    MODEL("/v1/models/{name}", "GET"),
    MODEL_PREDICT("/v1/models/{name}:predict", "POST"),
    V2_SERVER("/v2", "GET"),
    LIVE_V2("/v2/health/live", "GET"),
    READY_V2("/v2/health/ready", "GET"),
    V2_MODEL("/v2/models/{name}", "GET"),
    V2_MODEL_READY("/v2/models/{name}/ready", "GET"),
    V2_INFER("/v2/models/{name}/infer", "POST"),
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

    public String method() {
      return method;
    }
  }

  /** A request whose body has been read in full (at most {@link #MAX_BODY_BYTES}). */
  public record Request(String method, String path, byte[] body, int length) {}

  private final PredictEndpoints bare;
  private final V1Endpoints v1;
  private final V2Endpoints v2;

  public Routes(DataPlane dataPlane, AppMetrics metrics) {
    InstanceValidator validator = new InstanceValidator();
    this.bare = new PredictEndpoints(dataPlane, validator, metrics);
    this.v1 = new V1Endpoints(dataPlane, validator);
    this.v2 = new V2Endpoints(dataPlane);
  }

  /**
   * Builds Jackson's mapper and the serialisers of the common answers, so that the first requests
   * after start do not pay for it; called on a background thread once the port is open.
   */
  void warmUp(String modelName) {
    bare.ready();
    v1.models();
    v2.server();
    v2.model(V2_MODELS + modelName);
    Reply.error(400, "warm-up", "field");
    try {
      byte[] sample = "{\"instances\":[{\"age\":1}]}".getBytes(StandardCharsets.US_ASCII);
      Json.parseBody(sample, sample.length);
    } catch (ApiException e) {
      // Not expected; only the classes mattered.
    }
  }

  public static Route match(String path) {
    switch (path) {
      case "/predict":
        return Route.PREDICT;
      case "/health":
        return Route.HEALTH;
      case "/ready":
        return Route.READY;
      case "/metrics":
        return Route.METRICS;
      case "/":
        return Route.ROOT;
      case "/v1/models":
        return Route.MODELS;
      case "/v2":
        return Route.V2_SERVER;
      case "/v2/health/live":
        return Route.LIVE_V2;
      case "/v2/health/ready":
        return Route.READY_V2;
      default:
        break;
    }
    if (path.startsWith(V1_MODELS)) {
      return V1Endpoints.match(path);
    }
    if (path.startsWith(V2_MODELS)) {
      return V2Endpoints.match(path);
    }
    return Route.UNMATCHED;
  }

  /** Answers one request; never throws. */
  public Reply handle(Route route, Request request) {
    try {
      return dispatch(route, request);
    } catch (ApiException e) {
      return Reply.error(e);
    } catch (RuntimeException e) {
      // A bug in this app, never the client's input: log it in full, tell the client little.
      LOG.error("unexpected error handling {} {}", request.method(), request.path(), e);
      return Reply.error(500, "internal server error", null);
    }
  }

  private Reply dispatch(Route route, Request request) {
    if (route == Route.UNMATCHED) {
      return Reply.error(404, "no route for " + request.path(), null);
    }
    String method = request.method();
    if (!route.method.equals(method)) {
      return Reply.error(
              405, "method " + method + " is not allowed here; use " + route.method, null)
          .withAllow(route.method);
    }
    return switch (route) {
      case PREDICT -> bare.predict(request);
      case HEALTH -> bare.health();
      case READY -> bare.ready();
      case METRICS -> bare.metrics();
      case ROOT -> v1.root();
      case MODELS -> v1.models();
      case MODEL -> v1.model(request.path());
      case MODEL_PREDICT -> v1.predict(request);
      case V2_SERVER -> v2.server();
      case LIVE_V2 -> v2.live();
      case READY_V2 -> v2.ready();
      case V2_MODEL -> v2.model(request.path());
      case V2_MODEL_READY -> v2.modelReady(request.path());
      case V2_INFER -> v2.infer(request);
      case UNMATCHED -> throw new IllegalStateException("unreachable");
    };
  }
}
