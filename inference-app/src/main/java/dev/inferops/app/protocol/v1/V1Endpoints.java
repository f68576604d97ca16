package dev.inferops.app.protocol.v1;

import dev.inferops.app.protocol.DataPlane;
import dev.inferops.app.protocol.InstancesDecoder;
import dev.inferops.app.protocol.PredictionsJson;
import dev.inferops.app.routing.Endpoints;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Request;
import dev.inferops.app.routing.Route;
import dev.inferops.app.routing.Routes;
import java.util.List;

/** KServe's V1 protocol: {@code /}, {@code /v1/models}, {@code /v1/models/NAME[:predict]}. */
public final class V1Endpoints implements Endpoints {
  static final Route ROOT = new Route("/", "GET");
  static final Route MODELS = new Route("/v1/models", "GET");
  static final Route MODEL = new Route("/v1/models/{name}", "GET");
  public static final Route MODEL_PREDICT = Route.prediction("/v1/models/{name}:predict", "POST");
  static final Route MODEL_EXPLAIN = new Route("/v1/models/{name}:explain", "POST");

  private static final String MODELS_PREFIX = "/v1/models/";
  private static final String PREDICT_SUFFIX = ":predict";
  private static final String EXPLAIN_SUFFIX = ":explain";

  record Alive(String status) {}

  record ModelList(List<String> models) {}

  record ModelStatus(String name, boolean ready) {}

  private final DataPlane dataPlane;
  private final InstancesDecoder decoder;
  private final byte[] suffix;

  public V1Endpoints(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
    this.decoder = new InstancesDecoder(dataPlane.modelDescription());
    this.suffix = PredictionsJson.suffix(null, null, dataPlane.appVersion());
  }

  @Override
  public void register(Routes routes) {
    routes.add(ROOT, r -> root());
    routes.add(MODELS, r -> models());
    routes.addTemplate(MODEL, r -> model(r.path()));
    routes.addTemplate(MODEL_PREDICT, this::predict);
    routes.addTemplate(MODEL_EXPLAIN, this::explain);
    routes.addPrefix(MODELS_PREFIX, V1Endpoints::match);
  }

  @Override
  public void warmUp() {
    models();
  }

  /** For a path under {@code /v1/models/}. */
  static Route match(String path) {
    String rest = path.substring(MODELS_PREFIX.length());
    if (rest.isEmpty() || rest.indexOf('/') >= 0) {
      return Route.UNMATCHED;
    }
    if (rest.endsWith(PREDICT_SUFFIX)) {
      return rest.length() > PREDICT_SUFFIX.length() ? MODEL_PREDICT : Route.UNMATCHED;
    }
    if (rest.endsWith(EXPLAIN_SUFFIX)) {
      return rest.length() > EXPLAIN_SUFFIX.length() ? MODEL_EXPLAIN : Route.UNMATCHED;
    }
    return MODEL;
  }

  /** KServe's server liveness: alive whenever it answers, like its Python server. */
  Reply root() {
    String reason = dataPlane.notLiveReason();
    return reason == null ? Reply.json(200, new Alive("alive")) : Reply.error(500, reason, null);
  }

  Reply models() {
    return Reply.json(200, new ModelList(List.of(dataPlane.modelName())));
  }

  Reply model(String path) {
    dataPlane.requireModel(path.substring(MODELS_PREFIX.length()));
    return Reply.json(200, new ModelStatus(dataPlane.modelName(), dataPlane.isReady()));
  }

  /** {@code {"instances": [...]}} only: V1 has no bare-object form. */
  Reply predict(Request request) {
    String path = request.path();
    dataPlane.requireModel(
        path.substring(MODELS_PREFIX.length(), path.length() - PREDICT_SUFFIX.length()));
    dataPlane.admitPrediction();
    double[][] rows = decoder.decode(request.body(), request.length(), false);
    return PredictionsJson.reply(dataPlane.modelDescription(), dataPlane.predict(rows), suffix);
  }

  /**
   * KServe's SDK calls {@code :explain} on any model; with no explainer the honest answer is 501,
   * not a 405 that suggests another method would work.
   */
  Reply explain(Request request) {
    String path = request.path();
    dataPlane.requireModel(
        path.substring(MODELS_PREFIX.length(), path.length() - EXPLAIN_SUFFIX.length()));
    return Reply.error(
        501,
        "model '" + dataPlane.modelName() + "' has no explainer; this server only predicts",
        null);
  }
}
