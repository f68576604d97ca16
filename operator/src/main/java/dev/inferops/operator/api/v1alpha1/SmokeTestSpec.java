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
 * for an ONNX model, the user's instances when given, else one zero row as its V2 metadata
 * describes its input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// One rule with a computed message: the annotation processor cannot handle two on a class.
@ValidationRule(
    value =
        "(!has(self.expectedLabels) || !has(self.instances)"
            + " || size(self.expectedLabels) == size(self.instances))"
            + " && (!has(self.expectedValues) || (has(self.instances)"
            + " && size(self.expectedValues) == size(self.instances)))",
    messageExpression =
        "has(self.expectedLabels) && has(self.instances)"
            + " && size(self.expectedLabels) != size(self.instances)"
            + " ? 'expectedLabels needs one label per instance'"
            + " : 'expectedValues needs instances and one value per instance'")
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
          + ". Not used for an ONNX model, whose smoke test uses the KServe routes under"
          + " /v1/models and /v2/models.")
  @Default(SpecDefaults.SMOKE_TEST_PATH)
  @Pattern("^/\\S*$")
  private String path;

  @JsonPropertyDescription(
      "Feature rows sent as {\"instances\": [...]}, each keyed by feature name. Unset: the"
          + " built-in example patient of the heart model, or, with a model ConfigMap whose"
          + " features differ, one row of its rounded feature means. For an ONNX model (a model"
          + " file ending in .onnx) they are POSTed to /v1/models/NAME:predict, keyed by the"
          + " names of its metadata feature_names (else x0..xN-1), and every declared output must"
          + " answer for each; unset, its smoke test GETs the model's V2 metadata, POSTs one zero"
          + " row of its input's width and datatype to /v2/models/NAME/infer and expects every"
          + " declared output for a batch of 1.")
  private List<Map<String, Double>> instances;

  @JsonPropertyDescription(
      "Optional label expected for each instance, in order; unset accepts any label. For an"
          + " ONNX model, its label output (the first INT64 output of shape [-1]) is compared,"
          + " with instances only; a model without one fails the smoke test.")
  private List<Integer> expectedLabels;

  @JsonPropertyDescription(
      "Optional value expected for each instance, in order, from an ONNX model's first output"
          + " with one value per row that is not its label (a regressor's prediction); needs"
          + " instances. Ignored for a heart model JSON, which predicts labels only.")
  private List<Double> expectedValues;

  @JsonPropertyDescription(
      "How far a value may be from its expectedValues entry and still pass. Defaults to "
          + SpecDefaults.SMOKE_TEST_TOLERANCE
          + ".")
  @Default("" + SpecDefaults.SMOKE_TEST_TOLERANCE)
  @Min(0)
  private Double tolerance;

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

  public List<Double> getExpectedValues() {
    return expectedValues;
  }

  public void setExpectedValues(List<Double> expectedValues) {
    this.expectedValues = expectedValues;
  }

  public Double getTolerance() {
    return tolerance;
  }

  public void setTolerance(Double tolerance) {
    this.tolerance = tolerance;
  }

  public Integer getTimeoutSeconds() {
    return timeoutSeconds;
  }

  public void setTimeoutSeconds(Integer timeoutSeconds) {
    this.timeoutSeconds = timeoutSeconds;
  }
}
