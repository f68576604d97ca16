package dev.inferops.app.protocol.predict;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.protocol.DataPlane;
import dev.inferops.app.protocol.InstancesDecoder;
import dev.inferops.app.protocol.PredictionsJson;
import dev.inferops.app.protocol.RequestJson;
import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Endpoints;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Request;
import dev.inferops.app.routing.Route;
import dev.inferops.app.routing.Routes;
import java.nio.charset.StandardCharsets;

/** The app's own protocol: {@code POST /predict}, {@code /health}, {@code /ready}, metrics. */
public final class PredictEndpoints implements Endpoints {
  public static final Route PREDICT = Route.prediction("/predict", "POST");
  static final Route HEALTH = new Route("/health", "GET");
  static final Route READY = new Route("/ready", "GET");
  static final Route METRICS = new Route("/metrics", "GET");

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  private static final Reply HEALTHY = Reply.constantJson("{\"status\":\"ok\"}");
  private static final Reply READY_NOW = Reply.constantJson("{\"ready\":true}");

  private final DataPlane dataPlane;
  private final InstancesDecoder decoder;
  private final AppMetrics metrics;
  private final byte[] suffix;

  public PredictEndpoints(DataPlane dataPlane, AppMetrics metrics) {
    this.dataPlane = dataPlane;
    this.decoder = new InstancesDecoder(dataPlane.modelDescription());
    this.metrics = metrics;
    this.suffix =
        PredictionsJson.suffix(
            dataPlane.modelName(), dataPlane.modelVersion(), dataPlane.appVersion());
  }

  @Override
  public void register(Routes routes) {
    routes.add(PREDICT, this::predict);
    routes.add(HEALTH, r -> health());
    routes.add(READY, r -> ready());
    routes.add(METRICS, r -> metrics());
  }

  @Override
  public void warmUp() {
    ready();
    Reply.error(400, "warm-up", "field");
    try {
      byte[] sample = "{\"instances\":[{\"age\":1}]}".getBytes(StandardCharsets.US_ASCII);
      RequestJson.parse(sample, sample.length);
    } catch (ApiException e) {
      // Not expected; only the classes mattered.
    }
  }

  /** One bare instance object or {@code {"instances": [...]}}. */
  Reply predict(Request request) {
    // Not ready is answered before the body is judged: a starting pod should say so first.
    dataPlane.admitPrediction();
    double[][] rows = decoder.decode(request.body(), request.length(), true);
    return PredictionsJson.reply(dataPlane.modelDescription(), dataPlane.predict(rows), suffix);
  }

  Reply health() {
    String reason = dataPlane.notLiveReason();
    return reason == null ? HEALTHY : Reply.json(500, new Health("unhealthy", reason));
  }

  /** 503 while not ready, as KServe's server answers. */
  Reply ready() {
    String reason = dataPlane.notReadyReason();
    return reason == null ? READY_NOW : Reply.json(503, new Readiness(false, reason));
  }

  Reply metrics() {
    return Reply.text(metrics.scrape(), Reply.PROMETHEUS);
  }
}
