package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.sundr.builder.annotations.Buildable;

/** The PodDisruptionBudget the operator keeps for the pods while replicas > 1. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class DisruptionBudgetSpec {

  @JsonPropertyDescription(
      "Whether the operator owns a PodDisruptionBudget <name> (only while replicas > 1)."
          + " Defaults to "
          + SpecDefaults.DISRUPTION_BUDGET_ENABLED
          + ".")
  @Default("" + SpecDefaults.DISRUPTION_BUDGET_ENABLED)
  private Boolean enabled;

  @JsonPropertyDescription(
      "How many pods a voluntary disruption (a node drain) may take at once. Defaults to "
          + SpecDefaults.DISRUPTION_BUDGET_MAX_UNAVAILABLE
          + ".")
  @Default("" + SpecDefaults.DISRUPTION_BUDGET_MAX_UNAVAILABLE)
  @Min(0)
  private Integer maxUnavailable;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public Integer getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(Integer maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }
}
