package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.sundr.builder.annotations.Buildable;

/** Blue-green's shadow phase: the live pods copy real requests to the preview and compare. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ShadowSpec {

  @JsonPropertyDescription(
      "Share of the prediction requests the live pods answer that they also send to the preview,"
          + " after answering the client, to compare both answers; from 0 to 1. Defaults to "
          + SpecDefaults.SHADOW_SAMPLE_RATE
          + ".")
  @Default("" + SpecDefaults.SHADOW_SAMPLE_RATE)
  @Min(0)
  @Max(1)
  private Double sampleRate;

  @JsonPropertyDescription(
      "Compared answers needed before minAgreement decides; with fewer by the progress deadline"
          + " the rollout is aborted. Defaults to "
          + SpecDefaults.SHADOW_MIN_COMPARISONS
          + ".")
  @Default("" + SpecDefaults.SHADOW_MIN_COMPARISONS)
  @Min(1)
  private Integer minComparisons;

  @JsonPropertyDescription(
      "Share of compared answers that must agree for the preview to be promoted, from 0 to 1"
          + " (e.g. 0.99); below it the rollout is aborted. Unset: report only, the agreement is"
          + " shown in the status and promotion is left to the other checks.")
  @Min(0)
  @Max(1)
  private Double minAgreement;

  @JsonPropertyDescription(
      "How far two probabilities (or regression values) may differ and still agree; labels must"
          + " be equal. Defaults to "
          + SpecDefaults.SHADOW_PROBABILITY_TOLERANCE
          + ".")
  @Default("" + SpecDefaults.SHADOW_PROBABILITY_TOLERANCE)
  @Min(0)
  private Double probabilityTolerance;

  public Double getSampleRate() {
    return sampleRate;
  }

  public void setSampleRate(Double sampleRate) {
    this.sampleRate = sampleRate;
  }

  public Integer getMinComparisons() {
    return minComparisons;
  }

  public void setMinComparisons(Integer minComparisons) {
    this.minComparisons = minComparisons;
  }

  public Double getMinAgreement() {
    return minAgreement;
  }

  public void setMinAgreement(Double minAgreement) {
    this.minAgreement = minAgreement;
  }

  public Double getProbabilityTolerance() {
    return probabilityTolerance;
  }

  public void setProbabilityTolerance(Double probabilityTolerance) {
    this.probabilityTolerance = probabilityTolerance;
  }
}
