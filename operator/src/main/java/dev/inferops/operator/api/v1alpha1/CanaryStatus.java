package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.sundr.builder.annotations.Buildable;
import java.util.List;
import java.util.Objects;

/** Where a canary rollout stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanaryStatus {

  @JsonPropertyDescription(
      "Index of the current step, from 0; equal to steps once every step passed and the canary takes all replicas.")
  private Integer step;

  @JsonPropertyDescription("Number of steps.")
  private Integer steps;

  @JsonPropertyDescription("When the current step began (RFC 3339); a pause counts from here.")
  private String stepStartedAt;

  @JsonPropertyDescription("Percent of the replicas the current step asks for.")
  private Integer weight;

  @JsonPropertyDescription("Replicas of the new version for that weight.")
  private Integer canaryReplicas;

  @JsonPropertyDescription("Percent of the ready pods behind the Service that run the new version.")
  @PrinterColumn(name = "Canary%")
  private Integer reachedWeight;

  @JsonPropertyDescription("The weight asked and reached, e.g. asked 15 %, got 2 of 10 = 20 %.")
  private String weightMessage;

  @JsonPropertyDescription(
      "Whether pauses are analysed: On, or Off (spec.strategy.canary.analysis.enabled false).")
  private String analysis;

  @JsonPropertyDescription("The last analysis of each step analysed so far, with its figures.")
  private List<CanaryAnalysisResult> analyses;

  public Integer getStep() {
    return step;
  }

  public void setStep(Integer step) {
    this.step = step;
  }

  public Integer getSteps() {
    return steps;
  }

  public void setSteps(Integer steps) {
    this.steps = steps;
  }

  public String getStepStartedAt() {
    return stepStartedAt;
  }

  public void setStepStartedAt(String stepStartedAt) {
    this.stepStartedAt = stepStartedAt;
  }

  public Integer getWeight() {
    return weight;
  }

  public void setWeight(Integer weight) {
    this.weight = weight;
  }

  public Integer getCanaryReplicas() {
    return canaryReplicas;
  }

  public void setCanaryReplicas(Integer canaryReplicas) {
    this.canaryReplicas = canaryReplicas;
  }

  public Integer getReachedWeight() {
    return reachedWeight;
  }

  public void setReachedWeight(Integer reachedWeight) {
    this.reachedWeight = reachedWeight;
  }

  public String getWeightMessage() {
    return weightMessage;
  }

  public void setWeightMessage(String weightMessage) {
    this.weightMessage = weightMessage;
  }

  public String getAnalysis() {
    return analysis;
  }

  public void setAnalysis(String analysis) {
    this.analysis = analysis;
  }

  public List<CanaryAnalysisResult> getAnalyses() {
    return analyses;
  }

  public void setAnalyses(List<CanaryAnalysisResult> analyses) {
    this.analyses = analyses;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryStatus that
        && Objects.equals(step, that.step)
        && Objects.equals(steps, that.steps)
        && Objects.equals(stepStartedAt, that.stepStartedAt)
        && Objects.equals(weight, that.weight)
        && Objects.equals(canaryReplicas, that.canaryReplicas)
        && Objects.equals(reachedWeight, that.reachedWeight)
        && Objects.equals(weightMessage, that.weightMessage)
        && Objects.equals(analysis, that.analysis)
        && Objects.equals(analyses, that.analyses);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        step,
        steps,
        stepStartedAt,
        weight,
        canaryReplicas,
        reachedWeight,
        weightMessage,
        analysis,
        analyses);
  }
}
