package dev.inferops.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;

/** The app's own protocol: {@code POST /predict}, {@code /health}, {@code /ready}, metrics. */
final class PredictEndpoints {
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

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
    return predictions(dataPlane.predict(rows), dataPlane, true);
  }

  /**
   * The predictions body of this route and V1's, written field by field: the hottest response, and
   * Jackson serialises records through reflection. Shape: {@code {"predictions": [{"label",
   * "probability"}...], "model", "version", "app_version"}}, V1 without model and version.
   */
  static Reply predictions(DataPlane.Prediction[] predictions, DataPlane dataPlane, boolean bare) {
    ByteArrayBuilder out = new ByteArrayBuilder(64 + 48 * predictions.length);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("predictions");
      for (DataPlane.Prediction p : predictions) {
        g.writeStartObject();
        g.writeNumberField("label", p.label());
        g.writeNumberField("probability", p.probability());
        g.writeEndObject();
      }
      g.writeEndArray();
      if (bare) {
        g.writeStringField("model", dataPlane.modelName());
        g.writeStringField("version", dataPlane.modelVersion());
      }
      g.writeStringField("app_version", dataPlane.appVersion());
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write predictions", e);
    }
    return new Reply(200, out.toByteArray(), Reply.JSON, null);
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
