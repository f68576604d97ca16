package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.sundr.builder.annotations.Buildable;

/** An HTTP probe on the app's port; unset fields take the operator's defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ProbeSpec {

  @JsonPropertyDescription(
      "HTTP path to probe on spec.port. Defaults to /ready for readiness and /health for"
          + " liveness.")
  @Pattern("^/.*")
  private String path;

  @JsonPropertyDescription(
      "Seconds after the container started before the first probe. Defaults to 0 for readiness"
          + " and 10 for liveness.")
  @Min(0)
  private Integer initialDelaySeconds;

  @JsonPropertyDescription(
      "Seconds between probes. Defaults to 5 for readiness and 10 for liveness.")
  @Min(1)
  private Integer periodSeconds;

  @JsonPropertyDescription("Seconds after which a probe times out. Defaults to 1.")
  @Min(1)
  private Integer timeoutSeconds;

  @JsonPropertyDescription(
      "Consecutive failures after which the probe counts as failed. Defaults to 3.")
  @Min(1)
  private Integer failureThreshold;

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public Integer getInitialDelaySeconds() {
    return initialDelaySeconds;
  }

  public void setInitialDelaySeconds(Integer initialDelaySeconds) {
    this.initialDelaySeconds = initialDelaySeconds;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }

  public Integer getFailureThreshold() {
    return failureThreshold;
  }

  public void setFailureThreshold(Integer failureThreshold) {
    this.failureThreshold = failureThreshold;
  }
}
