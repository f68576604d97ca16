package dev.inferops.app;

/**
 * What every protocol serves, with no HTTP in it: model identity, readiness, liveness and scoring.
 * The endpoint classes translate their protocol's JSON to and from these calls.
 */
public final class DataPlane {
  /** One scored row. */
  public record Prediction(int label, double probability) {}

  private final Model model;
  private final Lifecycle lifecycle;
  private final AppMetrics metrics;
  private final String appVersion;

  public DataPlane(Model model, Lifecycle lifecycle, AppMetrics metrics, String appVersion) {
    this.model = model;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.appVersion = appVersion;
  }

  public String modelName() {
    return model.name();
  }

  public String modelVersion() {
    return model.version();
  }

  public String appVersion() {
    return appVersion;
  }

  public boolean isLive() {
    return lifecycle.isHealthy();
  }

  public boolean isReady() {
    return lifecycle.isReady();
  }

  /** Why the server is not ready, or null when it is. */
  public String notReadyReason() {
    return lifecycle.notReadyReason();
  }

  /**
   * @throws ApiException 404 when {@code name} is not the served model
   */
  public void requireModel(String name) {
    if (!model.name().equals(name)) {
      throw new ApiException(
          404, "model '" + name + "' not found; this server serves '" + model.name() + "'", null);
    }
  }

  /**
   * @throws ApiException 503 while starting; during shutdown predictions are still served
   */
  public void requireReady() {
    String reason = lifecycle.notServingReason();
    if (reason != null) {
      throw new ApiException(503, "not ready: " + reason, null);
    }
  }

  /** Scores rows given in {@link Feature} order; callers have validated them. */
  public Prediction[] predict(double[][] rows) {
    requireReady();
    Prediction[] out = new Prediction[rows.length];
    for (int i = 0; i < rows.length; i++) {
      double p = model.probability(rows[i]);
      int label = Model.label(p);
      metrics.recordPrediction(label);
      out[i] = new Prediction(label, p);
    }
    return out;
  }
}
