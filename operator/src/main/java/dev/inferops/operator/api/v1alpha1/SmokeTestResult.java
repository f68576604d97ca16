package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** The outcome of the last smoke test of a blue-green preview. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class SmokeTestResult {

  @JsonPropertyDescription("Revision (template hash) that was tested.")
  private String revision;

  @JsonPropertyDescription("Whether every answer was as expected.")
  private Boolean passed;

  @JsonPropertyDescription(
      "Whether the preview answered at all. An attempt that got no answer (connection refused or"
          + " reset, timed out) is repeated with back-off, up to 5 attempts; a wrong answer fails at"
          + " once.")
  private Boolean answered;

  @JsonPropertyDescription("Which attempt for this revision the result is from, counting from 1.")
  private Integer attempt;

  @JsonPropertyDescription("What was checked, or which instance failed and what came back.")
  private String message;

  @JsonPropertyDescription("When the test ran (RFC 3339).")
  private String time;

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public Boolean getPassed() {
    return passed;
  }

  public void setPassed(Boolean passed) {
    this.passed = passed;
  }

  public Boolean getAnswered() {
    return answered;
  }

  public void setAnswered(Boolean answered) {
    this.answered = answered;
  }

  public Integer getAttempt() {
    return attempt;
  }

  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
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
    return o instanceof SmokeTestResult that
        && Objects.equals(revision, that.revision)
        && Objects.equals(passed, that.passed)
        && Objects.equals(answered, that.answered)
        && Objects.equals(attempt, that.attempt)
        && Objects.equals(message, that.message)
        && Objects.equals(time, that.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(revision, passed, answered, attempt, message, time);
  }
}
