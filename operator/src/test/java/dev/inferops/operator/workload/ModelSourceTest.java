package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.ImagePullPolicy;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ModelStatus;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What each model source makes of the pod template, the settings and the status. */
class ModelSourceTest {

  private static final String SHA =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  private static InferenceService withModel(ModelSpec model) {
    return inferenceService(spec -> spec.setModel(model));
  }

  private static PodSpec pod(InferenceService is) {
    return PodTemplates.desired(is, WorkloadKind.Deployment, ModelConfigMap.MISSING).getSpec();
  }

  private static Volume modelVolume(PodSpec pod) {
    return pod.getVolumes().stream().filter(v -> "model".equals(v.getName())).findFirst().get();
  }

  private static String revision(InferenceService is) {
    return Intent.of(is, null).revision();
  }

  @Test
  void anOnnxKeyIsMountedAsModelOnnxAndAnyOtherAsModelJson() {
    var onnx = withModel(Fixtures.model("heart-onnx").withKey("forest.onnx").build());
    assertThat(modelVolume(pod(onnx)).getConfigMap().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("forest.onnx");
              assertThat(item.getPath()).isEqualTo("model.onnx");
            });
    assertThat(AppSettings.all(onnx)).containsEntry("MODEL_PATH", "/models/model.onnx");
    assertThat(ModelSource.of(onnx).get().onnx()).isTrue();

    var json = withModel(Fixtures.model("heart-model").build());
    assertThat(modelVolume(pod(json)).getConfigMap().getItems().get(0).getPath())
        .isEqualTo("model.json");
    assertThat(AppSettings.all(json)).containsEntry("MODEL_PATH", "/models/model.json");
    assertThat(ModelSource.of(json).get().onnx()).isFalse();
    assertThat(pod(json).getInitContainers()).isNullOrEmpty();
  }

  @Test
  void aClaimIsMountedReadOnlyAndModelPathPointsIntoIt() {
    var is = withModel(Fixtures.modelFromClaim("models", "heart/forest.onnx").build());
    PodSpec pod = pod(is);

    Volume volume = modelVolume(pod);
    assertThat(volume.getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
    assertThat(volume.getPersistentVolumeClaim().getReadOnly()).isTrue();
    assertThat(pod.getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> "model".equals(m.getName()))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/models");
              assertThat(m.getReadOnly()).isTrue();
              assertThat(m.getSubPath()).isNull();
            });
    assertThat(AppSettings.all(is)).containsEntry("MODEL_PATH", "/models/heart/forest.onnx");
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(PodTemplates.desired(is, WorkloadKind.Deployment, null).getMetadata())
        .satisfies(
            m -> assertThat(m.getAnnotations()).doesNotContainKey("inferops.dev/model-hash"));
  }

  @Test
  void aUrlIsDownloadedByAnInitContainerOfTheAppImageIntoAnEmptyDir() {
    var is =
        inferenceService(
            spec -> {
              spec.setImagePullPolicy(ImagePullPolicy.Never);
              spec.setEnv(List.of(new EnvVar("MODEL_MAX_MB", "64", null)));
              spec.setModel(
                  Fixtures.modelFromUrl("https://models.example.com/heart.onnx?v=2", SHA).build());
            });
    PodSpec pod = pod(is);
    Container app = pod.getContainers().get(0);

    assertThat(modelVolume(pod).getEmptyDir()).isNotNull();
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getName()).isEqualTo("model-download");
              assertThat(init.getImage()).isEqualTo(app.getImage());
              assertThat(init.getImagePullPolicy()).isEqualTo("Never");
              assertThat(init.getCommand())
                  .as("the image's entrypoint runs the app jar")
                  .isNullOrEmpty();
              assertThat(init.getArgs())
                  .containsExactly(
                      "download",
                      "--url",
                      "https://models.example.com/heart.onnx?v=2",
                      "--sha256",
                      SHA,
                      "--out",
                      "/models/model.onnx");
              assertThat(init.getSecurityContext()).isEqualTo(app.getSecurityContext());
              assertThat(init.getTerminationMessagePolicy())
                  .as("its one line on failure reaches the status")
                  .isEqualTo("FallbackToLogsOnError");
              assertThat(init.getResources()).isEqualTo(PodTemplates.DOWNLOAD_RESOURCES);
              assertThat(init.getEnv()).containsExactly(new EnvVar("MODEL_MAX_MB", "64", null));
              assertThat(init.getVolumeMounts())
                  .extracting(m -> m.getName() + " " + m.getMountPath() + " " + m.getReadOnly())
                  .containsExactly("tmp /tmp null", "model /models null");
            });
    assertThat(app.getVolumeMounts())
        .filteredOn(m -> "model".equals(m.getName()))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(AppSettings.all(is)).containsEntry("MODEL_PATH", "/models/model.onnx");
  }

  @Test
  void aUrlWithoutChecksumLeavesItOutAndAJsonPathIsSavedAsModelJson() {
    var is = withModel(Fixtures.modelFromUrl("http://models.svc/heart.JSON#latest", null).build());
    assertThat(pod(is).getInitContainers().get(0).getArgs())
        .containsExactly(
            "download",
            "--url",
            "http://models.svc/heart.JSON#latest",
            "--out",
            "/models/model.json");
    assertThat(AppSettings.all(is)).containsEntry("MODEL_PATH", "/models/model.json");
    assertThat(ModelSource.of(is).get().onnx()).isFalse();
  }

  @Test
  void changingWhereTheModelComesFromIsANewRevision() {
    String url = revision(withModel(Fixtures.modelFromUrl("https://h/a.onnx", null).build()));
    String otherUrl = revision(withModel(Fixtures.modelFromUrl("https://h/b.onnx", null).build()));
    String checksum = revision(withModel(Fixtures.modelFromUrl("https://h/a.onnx", SHA).build()));
    String claim = revision(withModel(Fixtures.modelFromClaim("models", "a.onnx").build()));
    String otherClaim = revision(withModel(Fixtures.modelFromClaim("other", "a.onnx").build()));
    String otherPath = revision(withModel(Fixtures.modelFromClaim("models", "b.onnx").build()));

    assertThat(List.of(url, otherUrl, checksum, claim, otherClaim, otherPath))
        .as("each a revision of its own, so rolling and blue-green roll the pods")
        .doesNotHaveDuplicates();
    assertThat(revision(withModel(Fixtures.modelFromUrl("https://h/a.onnx", null).build())))
        .isEqualTo(url);
  }

  @Test
  void theStatusNamesTheSourceAndTheDigestWhereItIsKnown() {
    var configMap =
        Optional.of(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("heart-onnx")
                .endMetadata()
                .addToBinaryData("model.onnx", "AAEC")
                .build());
    assertThat(
            ModelSource.of(withModel(Fixtures.model("heart-onnx").withKey("model.onnx").build()))
                .get()
                .status(configMap))
        .isEqualTo(
            new ModelStatus(
                "configMap heart-onnx key model.onnx",
                "sha256:ae4b3280e56e2faf83f414a6e3dabe9d5fbe18976544c05fed121accb85b53fc",
                "/models/model.onnx"));
    assertThat(
            ModelSource.of(withModel(Fixtures.model("heart-onnx").build()))
                .get()
                .status(Optional.empty()))
        .isEqualTo(
            new ModelStatus("configMap heart-onnx key model.json", null, "/models/model.json"));
    assertThat(
            ModelSource.of(withModel(Fixtures.modelFromClaim("models", "heart/a.onnx").build()))
                .get()
                .status(configMap))
        .isEqualTo(new ModelStatus("pvc models/heart/a.onnx", null, "/models/heart/a.onnx"));
    assertThat(
            ModelSource.of(withModel(Fixtures.modelFromUrl("https://h/a.onnx", SHA).build()))
                .get()
                .status(Optional.empty()))
        .isEqualTo(new ModelStatus("url https://h/a.onnx", "sha256:" + SHA, "/models/model.onnx"));
    assertThat(ModelSource.of(inferenceService())).isEmpty();
  }
}
