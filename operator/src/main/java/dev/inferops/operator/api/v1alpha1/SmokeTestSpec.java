package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;
import java.util.List;
import java.util.Map;

/**
 * The sample predictions that gate a blue-green promotion: heart rows for a heart model JSON, or,
 * for an ONNX model, one zero row as its V2 metadata describes its input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.expectedLabels) || !has(self.instances)"
            + " || size(self.expectedLabels) == size(self.instances)",
    message = "expectedLabels needs one label per instance",
    fieldPath = ".expectedLabels")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class SmokeTestSpec {

  @JsonPropertyDescription(
      "Whether the smoke test runs. false skips it (promotion then needs ready pods and"
          + " endpoints only); the simulated test cluster's pods have no network, so its tests"
          + " turn it off. Defaults to "
          + SpecDefaults.SMOKE_TEST_ENABLED
          + ".")
  @Default("" + SpecDefaults.SMOKE_TEST_ENABLED)
  private Boolean enabled;

  @JsonPropertyDescription(
      "Path of the predict route on the preview Service. Defaults to "
          + SpecDefaults.SMOKE_TEST_PATH
          + ". Not used for an ONNX model, whose smoke test speaks the V2 protocol.")
  @Default(SpecDefaults.SMOKE_TEST_PATH)
  @Pattern("^/\\S*$")
  private String path;

  @JsonPropertyDescription(
      "Feature rows sent as {\"instances\": [...]}. Unset: the built-in example patient of the"
          + " heart model, or, with a model ConfigMap whose features differ, one row of its"
          + " rounded feature means. Not used for an ONNX model (a model file ending in .onnx):"
          + " its smoke test GETs the model's V2 metadata, POSTs one zero row of its input's"
          + " width and datatype to /v2/models/NAME/infer and expects every declared output for"
          + " a batch of 1.")
  private List<Map<String, Double>> instances;

  @JsonPropertyDescription(
      "Optional label expected for each instance, in order; unset accepts any label. Not used"
          + " for an ONNX model.")
  private List<Integer> expectedLabels;

  @JsonPropertyDescription(
      "Timeout of the smoke request in seconds. Defaults to "
          + SpecDefaults.SMOKE_TEST_TIMEOUT_SECONDS
          + ".")
  @Default("" + SpecDefaults.SMOKE_TEST_TIMEOUT_SECONDS)
  @Min(1)
  @Max(60)
  private Integer timeoutSeconds;

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public List<Map<String, Double>> getInstances() {
    return instances;
  }

  public void setInstances(List<Map<String, Double>> instances) {
    this.instances = instances;
  }

  public List<Integer> getExpectedLabels() {
    return expectedLabels;
  }

  public void setExpectedLabels(List<Integer> expectedLabels) {
    this.expectedLabels = expectedLabels;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}
