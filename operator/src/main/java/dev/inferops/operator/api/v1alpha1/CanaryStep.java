package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** One step of a canary rollout: a weight to set, or a pause. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.setWeight) != has(self.pause)",
    message = "a step has either setWeight or pause, not both and not neither")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanaryStep {

  @JsonPropertyDescription(
      "Percent of the replicas to run the new version: the share of the Service's ready pods, so of its traffic. Precision is one pod: status.rollout.canary says what was reached.")
  @Min(0)
  @Max(100)
  private Integer setWeight;

  @JsonPropertyDescription(
      "Wait at the weight reached, analysing the canary; without seconds, until the annotation inferops.dev/promote.")
  private CanaryPause pause;

  public Integer getSetWeight() {
    return setWeight;
  }

  public void setSetWeight(Integer setWeight) {
    this.setWeight = setWeight;
  }

  public CanaryPause getPause() {
    return pause;
  }

  public void setPause(CanaryPause pause) {
    this.pause = pause;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryStep that
        && Objects.equals(setWeight, that.setWeight)
        && Objects.equals(pause, that.pause);
  }

  @Override
  public int hashCode() {
    return Objects.hash(setWeight, pause);
  }
}
