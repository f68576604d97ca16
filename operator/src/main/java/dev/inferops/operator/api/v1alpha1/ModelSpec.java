package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.sundr.builder.annotations.Buildable;

/** A model JSON held in a ConfigMap, mounted read-only into the app container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class ModelSpec {

  @JsonPropertyDescription(
      "Name of a ConfigMap in the same namespace that holds the model JSON. Editing the model"
          + " in it rolls the pods. Not <name>-config, the operator's own settings ConfigMap.")
  @Required
  @Size(min = 1, max = 253)
  private String configMapName;

  @JsonPropertyDescription(
      "Key in that ConfigMap whose value is the model JSON. Defaults to "
          + SpecDefaults.MODEL_KEY
          + ".")
  @Default(SpecDefaults.MODEL_KEY)
  @Pattern("^[-._a-zA-Z0-9]+$")
  private String key;

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
}
