package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** How a canary is judged from its pods' own metrics, without Prometheus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanaryAnalysisSpec {

  @JsonPropertyDescription(
      "Whether pauses are analysed. false for images that do not expose the app's /metrics: pauses then only wait, and the status says analysis is off. Defaults to "
          + SpecDefaults.CANARY_ANALYSIS_ENABLED
          + ".")
  @Default("" + SpecDefaults.CANARY_ANALYSIS_ENABLED)
  private Boolean enabled;

  @JsonPropertyDescription(
      "Seconds between two readings of the pods' /metrics during a pause; a failing reading aborts at once. Defaults to "
          + SpecDefaults.CANARY_ANALYSIS_INTERVAL_SECONDS
          + ".")
  @Default("" + SpecDefaults.CANARY_ANALYSIS_INTERVAL_SECONDS)
  @Min(1)
  private Integer intervalSeconds;

  @JsonPropertyDescription(
      "Prediction requests the canary must have answered in the pause before it is judged; fewer is inconclusive. Defaults to "
          + SpecDefaults.CANARY_MIN_REQUESTS
          + ".")
  @Default("" + SpecDefaults.CANARY_MIN_REQUESTS)
  @Min(1)
  private Integer minRequests;

  @JsonPropertyDescription(
      "The canary fails when its error rate (5xx answers to predictions) exceeds the stable version's by more than this many percentage points. Defaults to "
          + SpecDefaults.CANARY_MAX_ERROR_RATE_INCREASE_PERCENT
          + ".")
  @Default("" + SpecDefaults.CANARY_MAX_ERROR_RATE_INCREASE_PERCENT)
  @Min(0)
  private Double maxErrorRateIncreasePercent;

  @JsonPropertyDescription(
      "The canary fails when its p95 prediction latency exceeds the stable version's by more than this percentage and by more than latencyToleranceMillis. Defaults to "
          + SpecDefaults.CANARY_MAX_LATENCY_INCREASE_PERCENT
          + ".")
  @Default("" + SpecDefaults.CANARY_MAX_LATENCY_INCREASE_PERCENT)
  @Min(0)
  private Integer maxLatencyIncreasePercent;

  @JsonPropertyDescription(
      "Latency differences up to this many milliseconds never fail a canary: noise at the scale of a fast model. Defaults to "
          + SpecDefaults.CANARY_LATENCY_TOLERANCE_MILLIS
          + ".")
  @Default("" + SpecDefaults.CANARY_LATENCY_TOLERANCE_MILLIS)
  @Min(0)
  private Integer latencyToleranceMillis;

  @JsonPropertyDescription(
      "What a pause that ends without enough traffic to judge does: Wait (keep reading until there is) or Pass (go on). Defaults to "
          + SpecDefaults.CANARY_INCONCLUSIVE
          + ".")
  @Default(SpecDefaults.CANARY_INCONCLUSIVE)
  private InconclusivePolicy inconclusive;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getIntervalSeconds() {
    return intervalSeconds;
  }

  public void setIntervalSeconds(Integer intervalSeconds) {
    this.intervalSeconds = intervalSeconds;
  }

  public Integer getMinRequests() {
    return minRequests;
  }

  public void setMinRequests(Integer minRequests) {
    this.minRequests = minRequests;
  }

  public Double getMaxErrorRateIncreasePercent() {
    return maxErrorRateIncreasePercent;
  }

  public void setMaxErrorRateIncreasePercent(Double maxErrorRateIncreasePercent) {
    this.maxErrorRateIncreasePercent = maxErrorRateIncreasePercent;
  }

  public Integer getMaxLatencyIncreasePercent() {
    return maxLatencyIncreasePercent;
  }

  public void setMaxLatencyIncreasePercent(Integer maxLatencyIncreasePercent) {
    this.maxLatencyIncreasePercent = maxLatencyIncreasePercent;
  }

  public Integer getLatencyToleranceMillis() {
    return latencyToleranceMillis;
  }

  public void setLatencyToleranceMillis(Integer latencyToleranceMillis) {
    this.latencyToleranceMillis = latencyToleranceMillis;
  }

  public InconclusivePolicy getInconclusive() {
    return inconclusive;
  }

  public void setInconclusive(InconclusivePolicy inconclusive) {
    this.inconclusive = inconclusive;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryAnalysisSpec that
        && Objects.equals(enabled, that.enabled)
        && Objects.equals(intervalSeconds, that.intervalSeconds)
        && Objects.equals(minRequests, that.minRequests)
        && Objects.equals(maxErrorRateIncreasePercent, that.maxErrorRateIncreasePercent)
        && Objects.equals(maxLatencyIncreasePercent, that.maxLatencyIncreasePercent)
        && Objects.equals(latencyToleranceMillis, that.latencyToleranceMillis)
        && Objects.equals(inconclusive, that.inconclusive);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled,
        intervalSeconds,
        minRequests,
        maxErrorRateIncreasePercent,
        maxLatencyIncreasePercent,
        latencyToleranceMillis,
        inconclusive);
  }
}
