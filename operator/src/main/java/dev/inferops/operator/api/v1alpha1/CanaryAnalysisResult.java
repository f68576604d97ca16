package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** The last analysis of one canary step. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanaryAnalysisResult {

  @JsonPropertyDescription("The step analysed.")
  private Integer step;

  @JsonPropertyDescription("Passed, Failed or Inconclusive.")
  private String verdict;

  @JsonPropertyDescription("The figures of both versions and what was compared.")
  private String message;

  @JsonPropertyDescription("When the pods' metrics were read (RFC 3339).")
  private String time;

  public Integer getStep() {
    return step;
  }

  public void setStep(Integer step) {
    this.step = step;
  }

  public String getVerdict() {
    return verdict;
  }

  public void setVerdict(String verdict) {
    this.verdict = verdict;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getTime() {
    return time;
  }

  public void setTime(String time) {
    this.time = time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryAnalysisResult that
        && Objects.equals(step, that.step)
        && Objects.equals(verdict, that.verdict)
        && Objects.equals(message, that.message)
        && Objects.equals(time, that.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, verdict, message, time);
  }
}
