package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
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
        .contains("key heart.json missing in model ConfigMap heart-model (it has other.json)");
  }

  @Test
  void aMissingOnnxModelConfigMapNamesTheSizeLimitAndTheOtherSources() {
    // The API server refuses a ConfigMap over 1 MiB, so an ONNX model too big for one is missing.
    assertThat(ModelConfigMap.problem(withModel("model.onnx"), Optional.empty()))
        .contains(
            "model ConfigMap heart-model not found (a ConfigMap holds at most 1 MiB; a larger"
                + " model goes in spec.model.pvc or spec.model.url)");
    var binaryOnly = configMap(Map.of());
    binaryOnly.get().setBinaryData(Map.of("other.onnx", "AAEC"));
    assertThat(ModelConfigMap.problem(withModel("model.onnx"), binaryOnly))
        .contains("key model.onnx missing in model ConfigMap heart-model (it has other.onnx)");
  }

  @Test
  void theDigestIsTheSha256OfTheFileTheConfigMapWasMadeFrom() {
    // printf '\x00\x01\x02' | sha256sum; kubectl stores the bytes as binaryData "AAEC".
    String bytes012 = "sha256:ae4b3280e56e2faf83f414a6e3dabe9d5fbe18976544c05fed121accb85b53fc";
    var binary = configMap(Map.of());
    binary.get().setBinaryData(Map.of("model.onnx", "AAEC"));
    assertThat(ModelConfigMap.digest(binary, "model.onnx")).contains(bytes012);
    // printf '{}' | sha256sum: data is the file's text.
    assertThat(ModelConfigMap.digest(configMap(Map.of("model.json", "{}")), "model.json"))
        .contains("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertThat(ModelConfigMap.digest(binary, "model.json")).isEmpty();
    assertThat(ModelConfigMap.digest(Optional.empty(), "model.json")).isEmpty();
  }

  @Test
  void aModelFromAClaimOrAUrlHasNoModelConfigMap() {
    for (InferenceService is :
        List.of(
            inferenceService(
                spec -> spec.setModel(Fixtures.modelFromClaim("models", "m.onnx").build())),
            inferenceService(
                spec -> spec.setModel(Fixtures.modelFromUrl("https://h/m.onnx", null).build())))) {
      var unrelated = configMap(Map.of("model.json", "{}"));
      assertThat(ModelConfigMap.hash(is, unrelated)).isNull();
      assertThat(ModelConfigMap.problem(is, Optional.empty())).isEmpty();
      assertThat(annotations(is, Optional.empty())).doesNotContainKey("inferops.dev/model-hash");
    }
  }

  @Test
  void keyDefaultsToModelJson() {
    InferenceService is = withModel(null);
    assertThat(ModelConfigMap.hash(is, configMap(Map.of("model.json", "{}"))))
        .isNotEqualTo("missing");
  }
}
