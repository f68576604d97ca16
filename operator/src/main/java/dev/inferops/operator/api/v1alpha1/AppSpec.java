package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;

/** Lifecycle settings of the inference app, passed to the container as environment variables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.crashAfterSeconds) || !has(self.startDelaySeconds)"
            + " || self.crashAfterSeconds > self.startDelaySeconds",
    message = "crashAfterSeconds must be greater than startDelaySeconds",
    fieldPath = ".crashAfterSeconds")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class AppSpec {

  @JsonPropertyDescription(
      "Seconds the app waits before it reports ready (START_DELAY_SECONDS). Unset: ready at"
          + " once.")
  @Min(0)
  private Integer startDelaySeconds;

  @JsonPropertyDescription(
      "Seconds after start when the app simulates a crash (CRASH_AFTER_SECONDS); must be greater"
          + " than startDelaySeconds. Unset: never.")
  @Min(1)
  private Integer crashAfterSeconds;

  @JsonPropertyDescription(
      "How the app crashes (CRASH_MODE): unhealthy (liveness fails, the kubelet restarts it) or"
          + " exit (the process exits).")
  private CrashMode crashMode;

  public Integer getStartDelaySeconds() {
    return startDelaySeconds;
  }

  public void setStartDelaySeconds(Integer startDelaySeconds) {
    this.startDelaySeconds = startDelaySeconds;
  }

  public Integer getCrashAfterSeconds() {
    return crashAfterSeconds;
  }

  public void setCrashAfterSeconds(Integer crashAfterSeconds) {
    this.crashAfterSeconds = crashAfterSeconds;
  }

  public CrashMode getCrashMode() {
    return crashMode;
  }

  public void setCrashMode(CrashMode crashMode) {
    this.crashMode = crashMode;
  }
}
