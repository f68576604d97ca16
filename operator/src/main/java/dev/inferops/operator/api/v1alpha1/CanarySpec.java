package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.List;
import java.util.Objects;

/** How a canary rollout moves traffic to the new version and judges it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanarySpec {

  @JsonPropertyDescription(
      "The steps, in order: setWeight moves that percentage of the replicas to the new version (rounded to whole pods, at least one), pause waits. After the last step the new version takes all replicas. Unset: "
          + SpecDefaults.CANARY_STEPS_DESCRIPTION
          + ".")
  private List<CanaryStep> steps;

  @JsonPropertyDescription(
      "How each pause is judged from the pods' own /metrics: the canary's error rate and p95 latency against the stable version's. Unset: enabled with the defaults below.")
  private CanaryAnalysisSpec analysis;

  @JsonPropertyDescription(
      "Sample predictions sent through the Service <name>-preview, which selects only the canary's pods, once the first weight is reached. Unset: enabled, with the built-in example patient.")
  private SmokeTestSpec smokeTest;

  public List<CanaryStep> getSteps() {
    return steps;
  }

  public void setSteps(List<CanaryStep> steps) {
    this.steps = steps;
  }

  public CanaryAnalysisSpec getAnalysis() {
    return analysis;
  }

  public void setAnalysis(CanaryAnalysisSpec analysis) {
    this.analysis = analysis;
  }

  public SmokeTestSpec getSmokeTest() {
    return smokeTest;
  }

  public void setSmokeTest(SmokeTestSpec smokeTest) {
    this.smokeTest = smokeTest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanarySpec that
        && Objects.equals(steps, that.steps)
        && Objects.equals(analysis, that.analysis)
        && Objects.equals(smokeTest, that.smokeTest);
  }

  @Override
  public int hashCode() {
    return Objects.hash(steps, analysis, smokeTest);
  }
}
