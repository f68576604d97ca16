package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;

/** A model file the pods download at start, checked against its SHA-256 when one is given. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ModelUrlSpec {

  @JsonPropertyDescription(
      "http:// or https:// URL of the model file. A path ending in .json is saved as"
          + " model.json (a heart model JSON), any other as model.onnx (ONNX Runtime). It shows"
          + " in the pod spec and the status, so credentials do not belong in it (user:password@"
          + " is rejected).")
  @Required
  @ValidationRule(
      value = "self.matches('^https?://[^/?#@[:space:]]+([/?#][^[:space:]]*)?$')",
      message =
          "must be an http:// or https:// URL with a host and without user:password@, such as"
              + " https://models.example.com/heart.onnx")
  private String url;

  @JsonPropertyDescription(
      "SHA-256 of the file as 64 lowercase hex digits (what sha256sum prints). When set, a"
          + " download with another digest fails and the pod does not start; without it, the"
          + " pods serve whatever the URL gives when they start.")
  @ValidationRule(
      value = "self.matches('^[0-9a-f]{64}$')",
      message = "must be the file's SHA-256 as 64 lowercase hex digits, as sha256sum prints it")
  private String sha256;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getSha256() {
    return sha256;
  }

  public void setSha256(String sha256) {
    this.sha256 = sha256;
  }
}
