package dev.inferops.app.protocol;

import dev.inferops.app.faults.InjectedErrors;
import dev.inferops.app.lifecycle.Lifecycle;
import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.Scores;
import dev.inferops.app.routing.ApiException;

/**
 * What every protocol serves, with no HTTP in it: model identity, readiness, liveness and scoring.
 * The endpoint classes translate their protocol's JSON to and from these calls.
 */
public final class DataPlane {
  /** The most rows one request may carry, in any protocol. */
  public static final int MAX_BATCH = 1000;

  private static final String CRASHED = "crashed as configured (CRASH_AFTER_SECONDS)";

  private final Model model;
  private final Lifecycle lifecycle;
  private final AppMetrics metrics;
  private final String appVersion;
  private final InjectedErrors injectedErrors;

  /**
   * @param injectedErrors which prediction requests fail on purpose
   *     (FAULT_INJECTION_ERROR_FRACTION)
   */
  public DataPlane(
      Model model,
      Lifecycle lifecycle,
      AppMetrics metrics,
      String appVersion,
      InjectedErrors injectedErrors) {
    this.model = model;
    this.lifecycle = lifecycle;
    this.metrics = metrics;
    this.appVersion = appVersion;
    this.injectedErrors = injectedErrors;
  }

  public String modelName() {
    return model.name();
  }

  public String modelVersion() {
    return model.version();
  }

  /** What the model takes and gives; requests are decoded against it. */
  public ModelDescription modelDescription() {
    return model.description();
  }

  public String appVersion() {
    return appVersion;
  }

  /** Why the server is not live (a simulated crash), or null when it is. */
  public String notLiveReason() {
    return lifecycle.isHealthy() ? null : CRASHED;
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

  /**
   * Every prediction route calls this first, before it reads the body. A request the server is not
   * ready to score is not counted for FAULT_INJECTION_ERROR_FRACTION: a starting pod still says
   * 503.
   *
   * @throws ApiException 503 while starting; 500 for a fault injected on purpose
   */
  public void admitPrediction() {
    requireReady();
    if (injectedErrors.next()) {
      throw new ApiException(500, injectedErrors.message(), null);
    }
  }

  /**
   * Scores rows laid out as the model's columns; callers have checked them against its description.
   */
  public Scores predict(double[][] rows) {
    requireReady();
    Scores out = model.predict(rows);
    int labels = model.description().labelOutput();
    metrics.recordRows(out.rows());
    if (labels >= 0) {
      for (int i = 0; i < out.rows(); i++) {
        metrics.recordPrediction(out.label(labels, i));
      }
    }
    return out;
  }
}
