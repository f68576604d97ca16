package dev.inferops.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.nio.charset.StandardCharsets;

/** The app's own protocol: {@code POST /predict}, {@code /health}, {@code /ready}, metrics. */
final class PredictEndpoints implements Endpoints {
  static final Route PREDICT = new Route("/predict", "POST");
  static final Route HEALTH = new Route("/health", "GET");
  static final Route READY = new Route("/ready", "GET");
  static final Route METRICS = new Route("/metrics", "GET");

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Health(String status, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Readiness(boolean ready, String error) {}

  static final String CRASHED = "crashed as configured (CRASH_AFTER_SECONDS)";

  private final DataPlane dataPlane;
  private final InstancesDecoder decoder;
  private final AppMetrics metrics;
  private final byte[] suffix;

  PredictEndpoints(DataPlane dataPlane, AppMetrics metrics) {
    this.dataPlane = dataPlane;
    this.decoder = new InstancesDecoder(dataPlane.modelDescription());
    this.metrics = metrics;
    this.suffix = suffix(dataPlane.modelName(), dataPlane.modelVersion(), dataPlane.appVersion());
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
    dataPlane.requireReady();
    double[][] rows = decoder.decode(request.body(), request.length(), true);
    return predictions(dataPlane.predict(rows), suffix);
  }

  /**
   * The predictions body of this route and V1's, {@code {"predictions": [{"label", "probability"}
   * ...], "model", "version", "app_version"}} (V1 without model and version), written as bytes: it
   * is the hottest response, and only the numbers change. The rest is serialised once.
   */
  static Reply predictions(Prediction[] predictions, byte[] suffix) {
    ByteArrayBuilder out =
        new ByteArrayBuilder(PREFIX.length + suffix.length + 48 * predictions.length);
    out.write(PREFIX);
    for (int i = 0; i < predictions.length; i++) {
      Prediction p = predictions[i];
      out.write(i == 0 ? LABEL : NEXT_LABEL);
      out.append('0' + p.label());
      out.write(PROBABILITY);
      // Jackson's shortest round-trip form, as its generator writes with USE_FAST_DOUBLE_WRITER.
      String d = NumberOutput.toString(p.probability(), true);
      for (int k = 0; k < d.length(); k++) {
        out.append(d.charAt(k));
      }
      out.append('}');
    }
    out.write(suffix);
    return new Reply(200, out.toByteArray(), Reply.JSON, null);
  }

  private static final byte[] PREFIX = ascii("{\"predictions\":[");
  private static final byte[] LABEL = ascii("{\"label\":");
  private static final byte[] NEXT_LABEL = ascii(",{\"label\":");
  private static final byte[] PROBABILITY = ascii(",\"probability\":");

  /**
   * {@code ],"model":..,"version":..,"app_version":..}} with Jackson's escaping; nulls left out.
   */
  static byte[] suffix(String model, String version, String appVersion) {
    StringBuilder b = new StringBuilder("]");
    String[][] fields = {{"model", model}, {"version", version}, {"app_version", appVersion}};
    for (String[] f : fields) {
      if (f[1] != null) {
        b.append(",\"").append(f[0]).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(f[1], b);
        b.append('"');
      }
    }
    return b.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
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
