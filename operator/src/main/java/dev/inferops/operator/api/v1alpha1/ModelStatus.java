package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** The model the spec's pods serve: where it comes from and, when known, its digest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ModelStatus {

  @JsonPropertyDescription(
      "Where the model comes from, e.g. 'configMap heart-model key model.onnx',"
          + " 'pvc models/heart/model.onnx' (claim/path) or 'url https://...'.")
  private String source;

  @JsonPropertyDescription(
      "sha256:<hex> of the model file: computed from a ConfigMap's content, or the url's declared"
          + " sha256; unset when the operator does not know it (a claim, a URL without sha256, a"
          + " missing ConfigMap). Equal to sha256sum of the file.")
  private String digest;

  @JsonPropertyDescription("MODEL_PATH: where the app container reads the model file.")
  private String path;

  public ModelStatus() {}

  public ModelStatus(String source, String digest, String path) {
    this.source = source;
    this.digest = digest;
    this.path = path;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getDigest() {
    return digest;
  }

  public void setDigest(String digest) {
    this.digest = digest;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelStatus that
        && Objects.equals(source, that.source)
        && Objects.equals(digest, that.digest)
        && Objects.equals(path, that.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, digest, path);
  }
}
