package dev.inferops.app;

import java.util.List;

/** KServe's V1 protocol: {@code /}, {@code /v1/models}, {@code /v1/models/NAME[:predict]}. */
final class V1Endpoints {
  private static final String PREDICT_SUFFIX = ":predict";

  record Alive(String status) {}

  record ModelList(List<String> models) {}

  record ModelStatus(String name, boolean ready) {}

  private final DataPlane dataPlane;
  private final InstanceValidator validator;
  private final byte[] suffix;

  V1Endpoints(DataPlane dataPlane, InstanceValidator validator) {
    this.dataPlane = dataPlane;
    this.validator = validator;
    this.suffix = PredictEndpoints.suffix(null, null, dataPlane.appVersion());
  }

  /** For a path under {@code /v1/models/}. */
  static Routes.Route match(String path) {
    String rest = path.substring(Routes.V1_MODELS.length());
    if (rest.isEmpty() || rest.indexOf('/') >= 0) {
      return Routes.Route.UNMATCHED;
    }
    if (rest.endsWith(PREDICT_SUFFIX)) {
      return rest.length() > PREDICT_SUFFIX.length()
          ? Routes.Route.MODEL_PREDICT
          : Routes.Route.UNMATCHED;
    }
    return Routes.Route.MODEL;
  }

  /** KServe's server liveness: alive whenever it answers, like its Python server. */
  Reply root() {
    return dataPlane.isLive()
        ? Reply.json(200, new Alive("alive"))
        : Reply.error(500, PredictEndpoints.CRASHED, null);
  }

  Reply models() {
    return Reply.json(200, new ModelList(List.of(dataPlane.modelName())));
  }

  Reply model(String path) {
    dataPlane.requireModel(path.substring(Routes.V1_MODELS.length()));
    return Reply.json(200, new ModelStatus(dataPlane.modelName(), dataPlane.isReady()));
  }

  /** {@code {"instances": [...]}} only: V1 has no bare-object form. */
  Reply predict(Routes.Request request) {
    String path = request.path();
    dataPlane.requireModel(
        path.substring(Routes.V1_MODELS.length(), path.length() - PREDICT_SUFFIX.length()));
    dataPlane.requireReady();
    double[][] rows = validator.parse(request.body(), request.length(), false);
    return PredictEndpoints.predictions(dataPlane.predict(rows), suffix);
  }
}
