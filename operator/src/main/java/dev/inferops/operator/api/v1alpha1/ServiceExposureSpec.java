package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;

/** The Kubernetes Service in front of the inference pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.nodePort) || (has(self.type) && self.type == 'NodePort')",
    message = "nodePort requires type NodePort",
    fieldPath = ".nodePort")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ServiceExposureSpec {

  @JsonPropertyDescription(
      "Whether the operator creates the Service. Defaults to " + SpecDefaults.SERVICE_ENABLED + ".")
  @Default("" + SpecDefaults.SERVICE_ENABLED)
  private Boolean enabled;

  @JsonPropertyDescription("Service type: ClusterIP (default) or NodePort.")
  @Default(SpecDefaults.SERVICE_TYPE)
  private ServiceType type;

  @JsonPropertyDescription(
      "Port the Service listens on. Defaults to " + SpecDefaults.SERVICE_PORT + ".")
  @Default("" + SpecDefaults.SERVICE_PORT)
  @Min(1)
  @Max(65535)
  private Integer port;

  @JsonPropertyDescription(
      "Node port for type NodePort (30000-32767). Unset: Kubernetes picks a free one.")
  @Min(30000)
  @Max(32767)
  private Integer nodePort;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public ServiceType getType() {
    return type;
  }

  public void setType(ServiceType type) {
    this.type = type;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public Integer getNodePort() {
    return nodePort;
  }

  public void setNodePort(Integer nodePort) {
    this.nodePort = nodePort;
  }
}
