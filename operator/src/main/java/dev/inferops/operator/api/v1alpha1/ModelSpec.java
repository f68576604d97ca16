package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.sundr.builder.annotations.Buildable;

/**
 * Where the model file comes from, exactly one of: a ConfigMap key ({@code configMapName} and
 * {@code key}), a file in a PersistentVolumeClaim ({@code pvc}) or a URL ({@code url}). The file is
 * mounted read-only and passed to the app as MODEL_PATH; one ending in .onnx is served through ONNX
 * Runtime, any other as a heart model JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// One rule with a computed message: the annotation processor cannot handle two on a class. The key
// has no schema default, which would add it to a pvc or url model too; EffectiveSpec fills it in.
@ValidationRule(
    value =
        "(has(self.configMapName) ? 1 : 0) + (has(self.pvc) ? 1 : 0) + (has(self.url) ? 1 : 0)"
            + " == 1 && (!has(self.key) || has(self.configMapName))",
    messageExpression =
        "!has(self.configMapName) && !has(self.pvc) && !has(self.url)"
            + " ? 'set one model source: configMapName (a ConfigMap), pvc (a"
            + " PersistentVolumeClaim) or url'"
            + " : ((has(self.configMapName) ? 1 : 0) + (has(self.pvc) ? 1 : 0)"
            + " + (has(self.url) ? 1 : 0) > 1"
            + " ? 'set exactly one model source: configMapName, pvc or url, not several'"
            + " : 'key applies to configMapName only')")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ModelSpec {

  @JsonPropertyDescription(
      "Name of a ConfigMap in the same namespace that holds the model file under key. Editing"
          + " the model in it rolls the pods. Not <name>-config, the operator's own settings"
          + " ConfigMap. A ConfigMap holds at most 1 MiB; a larger model goes in pvc or url.")
  @Size(min = 1, max = 253)
  private String configMapName;

  @JsonPropertyDescription(
      "With configMapName: the key whose value is the model, in data or binaryData (kubectl"
          + " create configmap NAME --from-file=model.onnx=FILE puts a binary file in"
          + " binaryData). A key ending in .onnx is mounted as model.onnx and served through ONNX"
          + " Runtime, any other as model.json. Defaults to "
          + SpecDefaults.MODEL_KEY
          + ".")
  @Pattern("^[-._a-zA-Z0-9]+$")
  private String key;

  @JsonPropertyDescription(
      "The model as a file in a PersistentVolumeClaim of the same namespace, mounted read-only."
          + " Any size. Changing claimName or path rolls the pods; editing the file in place does"
          + " not (the app reads it at start).")
  private ModelPvcSpec pvc;

  @JsonPropertyDescription(
      "The model downloaded at pod start by an init container model-download (the app's own"
          + " image) into an emptyDir the app mounts read-only. Changing url or sha256 rolls the"
          + " pods.")
  private ModelUrlSpec url;

  public String getConfigMapName() {
    return configMapName;
  }

  public void setConfigMapName(String configMapName) {
    this.configMapName = configMapName;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public ModelPvcSpec getPvc() {
    return pvc;
  }

  public void setPvc(ModelPvcSpec pvc) {
    this.pvc = pvc;
  }

  public ModelUrlSpec getUrl() {
    return url;
  }

  public void setUrl(ModelUrlSpec url) {
    this.url = url;
  }
}
