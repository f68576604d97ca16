package dev.inferops.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shadow ConfigMap: one settings file for the live revision while a shadow runs, else none. */
class ShadowConfigMapDependentResourceTest {

  private static final InferenceService HEART =
      new InferenceServiceBuilder()
          .withNewMetadata()
          .withName("heart")
          .withNamespace("shop")
          .endMetadata()
          .withNewSpec()
          .withNewStrategy()
          .withType(StrategyType.BlueGreen)
          .withNewBlueGreen()
          .withNewShadow()
          .withSampleRate(0.25)
          .endShadow()
          .endBlueGreen()
          .endStrategy()
          .endSpec()
          .build();

  @Test
  void whileAShadowRunsTheLiveRevisionsFileNamesThePreviewAndTheSettings() throws Exception {
    ConfigMap cm =
        ShadowConfigMapDependentResource.build(
            HEART, Optional.of(Map.entry("blue1", "http://10.96.0.12:80")));
    assertThat(cm.getMetadata().getName()).isEqualTo("heart-shadow");
    assertThat(cm.getMetadata().getLabels()).containsEntry("inferops.dev/config-role", "shadow");
    assertThat(cm.getData()).containsOnlyKeys("blue1.json");
    assertThat(new ObjectMapper().readTree(cm.getData().get("blue1.json")))
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "{\"target\":\"http://10.96.0.12:80\",\"sampleRate\":0.25,"
                        + "\"probabilityTolerance\":1.0E-6}"));
  }

  @Test
  void otherwiseItHoldsNoFileAndNothingIsCopied() {
    assertThat(ShadowConfigMapDependentResource.build(HEART, Optional.empty()).getData()).isEmpty();
  }
}
