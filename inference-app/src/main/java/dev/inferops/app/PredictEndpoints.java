package dev.inferops.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;

/** The app's own protocol: {@code POST /predict}, {@code /health}, {@code /ready}, metrics. */
final class PredictEndpoints {
  record PredictResponse(
      List<DataPlane.Prediction> predictions,
      String model,
      String version,
      @JsonProperty("app_version") String appVersion) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  static final String CRASHED = "crashed as configured (CRASH_AFTER_SECONDS)";

  private final DataPlane dataPlane;
  private final InstanceValidator validator;
  private final AppMetrics metrics;

  PredictEndpoints(DataPlane dataPlane, InstanceValidator validator, AppMetrics metrics) {
    this.dataPlane = dataPlane;
    this.validator = validator;
    this.metrics = metrics;
  }

  /** One bare instance object or {@code {"instances": [...]}}. */
  Reply predict(Routes.Request request) {
    // Not ready is answered before the body is judged: a starting pod should say so first.
    dataPlane.requireReady();
    double[][] rows = validator.parse(request.body(), request.length(), true);
    return Reply.json(
        200,
        new PredictResponse(
            Arrays.asList(dataPlane.predict(rows)),
            dataPlane.modelName(),
            dataPlane.modelVersion(),
            dataPlane.appVersion()));
  }

  Reply health() {
    return dataPlane.isLive()
        ? Reply.json(200, new Health("ok", null))
        : Reply.json(500, new Health("unhealthy", CRASHED));
  }

  /** Also the Open Inference Protocol's server readiness; 503 is what KServe's server answers. */
  Reply ready() {
    return readiness(dataPlane);
  }

  static Reply readiness(DataPlane dataPlane) {
    String reason = dataPlane.notReadyReason();
    return reason == null
        ? Reply.json(200, new Readiness(true, null))
        : Reply.json(503, new Readiness(false, reason));
  }

  Reply metrics() {
    return Reply.text(metrics.scrape(), Reply.PROMETHEUS);
  }
}
