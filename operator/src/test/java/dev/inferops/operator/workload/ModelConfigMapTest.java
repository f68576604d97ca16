package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelConfigMapTest {

  private static InferenceService withModel(String key) {
    return inferenceService(
        spec -> spec.setModel(Fixtures.model("heart-model").withKey(key).build()));
  }

  private static Optional<ConfigMap> configMap(Map<String, String> data) {
    return Optional.of(
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("heart-model")
            .withNamespace("ml")
            .endMetadata()
            .withData(data)
            .build());
  }

  /** The pod template's annotations for this model ConfigMap. */
  private static Map<String, String> annotations(InferenceService is, Optional<ConfigMap> cm) {
    return PodTemplates.desired(is, WorkloadKind.Deployment, ModelConfigMap.hash(is, cm))
        .getMetadata()
        .getAnnotations();
  }

  @Test
  void noModelNoAnnotation() {
    InferenceService is = inferenceService();
    assertThat(ModelConfigMap.hash(is, Optional.empty())).isNull();
    assertThat(annotations(is, Optional.empty())).doesNotContainKey("inferops.dev/model-hash");
    assertThat(ModelConfigMap.problem(is, Optional.empty())).isEmpty();
  }

  @Test
  void templateFollowsTheModelContentAndNothingElseOfTheConfigMap() {
    InferenceService is = withModel("heart.json");
    var v1 = annotations(is, configMap(Map.of("heart.json", "{\"version\":\"1\"}")));
    var v2 = annotations(is, configMap(Map.of("heart.json", "{\"version\":\"2\"}")));

    assertThat(v1.get("inferops.dev/model-hash")).isNotBlank().isNotEqualTo("missing");
    assertThat(v2.get("inferops.dev/model-hash")).isNotEqualTo(v1.get("inferops.dev/model-hash"));
    assertThat(v2.get("inferops.dev/template-hash"))
        .isNotEqualTo(v1.get("inferops.dev/template-hash"));

    var otherKeyAndLabels =
        configMap(Map.of("heart.json", "{\"version\":\"1\"}", "notes.txt", "unrelated"));
    otherKeyAndLabels.get().getMetadata().setLabels(Map.of("team", "ml"));
    otherKeyAndLabels.get().getMetadata().setResourceVersion("42");
    assertThat(annotations(is, otherKeyAndLabels))
        .as("other keys and metadata do not roll the pods")
        .isEqualTo(v1);
    assertThat(annotations(is, configMap(Map.of("heart.json", "{\"version\":\"1\"}"))))
        .as("stable")
        .isEqualTo(v1);
    assertThat(ModelConfigMap.problem(is, otherKeyAndLabels)).isEmpty();
  }

  @Test
  void binaryDataKeysCountLikeDataKeys() {
    InferenceService is = withModel("model.bin");
    var cm = configMap(Map.of());
    cm.get().setBinaryData(Map.of("model.bin", "AAEC"));
    assertThat(ModelConfigMap.hash(is, cm)).isNotEqualTo("missing");
    assertThat(ModelConfigMap.problem(is, cm)).isEmpty();
  }

  @Test
  void missingConfigMapOrKeyGivesAStableMarkerAndAProblem() {
    InferenceService is = withModel("heart.json");
    var noKey = configMap(Map.of("other.json", "{}"));

    assertThat(ModelConfigMap.hash(is, Optional.empty())).isEqualTo("missing");
    assertThat(ModelConfigMap.hash(is, noKey)).isEqualTo("missing");
    assertThat(annotations(is, Optional.empty())).isEqualTo(annotations(is, noKey));
    assertThat(ModelConfigMap.problem(is, Optional.empty()))
        .contains("model ConfigMap heart-model not found");
    assertThat(ModelConfigMap.problem(is, noKey))
        .contains("key heart.json missing in model ConfigMap heart-model");
  }

  @Test
  void keyDefaultsToModelJson() {
    InferenceService is = withModel(null);
    assertThat(ModelConfigMap.hash(is, configMap(Map.of("model.json", "{}"))))
        .isNotEqualTo("missing");
  }
}
