package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;

/** Readiness and liveness probes of the app container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ProbesSpec {

  @JsonPropertyDescription(
      "Readiness probe: a pod receives traffic only while it passes. Defaults to GET /ready on"
          + " spec.port every 5s.")
  private ProbeSpec readiness;

  @JsonPropertyDescription(
      "Liveness probe: the container is restarted when it fails. Defaults to GET /health on"
          + " spec.port every 10s after 10s.")
  private ProbeSpec liveness;

  public ProbeSpec getReadiness() {
    return readiness;
  }

  public void setReadiness(ProbeSpec readiness) {
    this.readiness = readiness;
  }

  public ProbeSpec getLiveness() {
    return liveness;
  }

  public void setLiveness(ProbeSpec liveness) {
    this.liveness = liveness;
  }
}
