package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** A pause of a canary rollout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class CanaryPause {

  @JsonPropertyDescription(
      "How long to wait, in seconds. Unset: until `kubectl annotate infsvc <name> inferops.dev/promote=true`.")
  @Min(0)
  private Integer seconds;

  public Integer getSeconds() {
    return seconds;
  }

  public void setSeconds(Integer seconds) {
    this.seconds = seconds;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CanaryPause that && Objects.equals(seconds, that.seconds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seconds);
  }
}
