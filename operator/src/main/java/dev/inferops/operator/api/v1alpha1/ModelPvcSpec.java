package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;

/** A model file in a PersistentVolumeClaim, which the pods mount read-only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ModelPvcSpec {

  @JsonPropertyDescription(
      "Name of the PersistentVolumeClaim in the same namespace. The whole claim is mounted"
          + " read-only at /models, so a ReadOnlyMany or ReadWriteMany claim serves pods on"
          + " several nodes; a ReadWriteOnce claim only pods on one node.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String claimName;

  @JsonPropertyDescription(
      "Path of the model file inside the claim, e.g. models/heart.onnx; MODEL_PATH is"
          + " /models/<path>. A file ending in .onnx is served through ONNX Runtime, any other as"
          + " a heart model JSON.")
  @Required
  @ValidationRule(
      value = "!self.startsWith('/') && !self.endsWith('/') && !self.matches('(^|/)[.][.]?(/|$)')",
      message =
          "must be the relative path of the model file inside the claim, such as"
              + " models/heart.onnx: no leading or trailing /, no . or .. segments")
  private String path;

  public String getClaimName() {
    return claimName;
  }

  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
