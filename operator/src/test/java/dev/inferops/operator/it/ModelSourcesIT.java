package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ModelStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model from a ConfigMap's binaryData, a claim or a URL: the pod template each one makes, the
 * status naming it, and a change of it rolling the pods.
 */
class ModelSourcesIT {

  private static final String SHA_A =
      "e9ff84f5b12662bd2257318a7f5bf743a853cb7ec8427bd2b8898f61f8cd768a";
  private static final String SHA_B =
      "ffb7721172ba2b59006b3d7975a883e7c16a7b660ff7931d20929cdcd7305821";

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void anOnnxFileInBinaryDataIsMountedAsModelOnnxAndANewFileRollsThePods() {
    createBinaryConfigMap(new byte[] {0, 1, 2});
    create(Fixtures.model("heart-onnx").withKey("model.onnx").build());
    cluster.awaitPhase("heart", Phase.Ready);

    assertThat(modelVolume().getConfigMap().getItems().get(0).getPath()).isEqualTo("model.onnx");
    assertThat(cluster.client().configMaps().withName("heart-config").get().getData())
        .containsEntry("MODEL_PATH", "/models/model.onnx");
    // sha256sum of the bytes 0, 1, 2: the file the pods read.
    assertThat(model().getDigest())
        .isEqualTo("sha256:ae4b3280e56e2faf83f414a6e3dabe9d5fbe18976544c05fed121accb85b53fc");
    assertThat(model().getSource()).isEqualTo("configMap heart-onnx key model.onnx");

    cluster
        .client()
        .configMaps()
        .withName("heart-onnx")
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .addToBinaryData(
                        "model.onnx", Base64.getEncoder().encodeToString(new byte[] {3}))
                    .build());
    awaitRolledOnce();
    // printf '\x03' | sha256sum
    assertThat(model().getDigest())
        .isEqualTo("sha256:084fed08b978af4d7d196a7446a86b58009e636b611db16211b65a9aadff29c5");
  }

  @Test
  void aUrlIsDownloadedByAnInitContainerAndANewChecksumRollsThePods() {
    create(Fixtures.modelFromUrl("https://models.example.com/heart.onnx", SHA_A).build());
    cluster.awaitPhase("heart", Phase.Ready);

    PodSpec pod = template();
    assertThat(pod.getInitContainers())
        .singleElement()
        .satisfies(
            init -> {
              assertThat(init.getName()).isEqualTo("model-download");
              assertThat(init.getImage()).isEqualTo(OperatorExtension.IMAGE_V1);
              assertThat(init.getArgs())
                  .containsExactly(
                      "download",
                      "--url",
                      "https://models.example.com/heart.onnx",
                      "--sha256",
                      SHA_A,
                      "--out",
                      "/models/model.onnx");
            });
    assertThat(modelVolume().getEmptyDir()).isNotNull();
    assertThat(model())
        .isEqualTo(
            new ModelStatus(
                "url https://models.example.com/heart.onnx",
                "sha256:" + SHA_A,
                "/models/model.onnx"));

    cluster.editSpec("heart", spec -> spec.getModel().getUrl().setSha256(SHA_B));
    awaitRolledOnce();
    assertThat(template().getInitContainers().get(0).getArgs()).contains(SHA_B);
    assertThat(model().getDigest()).isEqualTo("sha256:" + SHA_B);
  }

  @Test
  void aClaimIsMountedReadOnlyAndANewPathRollsThePods() {
    cluster.createBoundClaim("models");
    create(Fixtures.modelFromClaim("models", "heart/a.onnx").build());
    cluster.awaitPhase("heart", Phase.Ready);

    assertThat(modelVolume().getPersistentVolumeClaim().getClaimName()).isEqualTo("models");
    assertThat(modelVolume().getPersistentVolumeClaim().getReadOnly()).isTrue();
    assertThat(template().getContainers().get(0).getVolumeMounts())
        .filteredOn(m -> "model".equals(m.getName()))
        .singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(model())
        .isEqualTo(new ModelStatus("pvc models/heart/a.onnx", null, "/models/heart/a.onnx"));

    cluster.editSpec("heart", spec -> spec.getModel().getPvc().setPath("heart/b.onnx"));
    awaitRolledOnce();
    assertThat(cluster.client().configMaps().withName("heart-config").get().getData())
        .containsEntry("MODEL_PATH", "/models/heart/b.onnx");
  }

  private static void create(ModelSpec model) {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec -> {
              spec.setWorkload(WorkloadKind.Deployment);
              spec.setModel(model);
            }));
  }

  private static void createBinaryConfigMap(byte[] file) {
    cluster
        .client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("heart-onnx")
                .endMetadata()
                .addToBinaryData("model.onnx", Base64.getEncoder().encodeToString(file))
                .build())
        .create();
  }

  /** A second ReplicaSet with every pod on it, and the InferenceService Ready again. */
  private static void awaitRolledOnce() {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              List<ReplicaSet> sets =
                  cluster
                      .client()
                      .apps()
                      .replicaSets()
                      .withLabel("app.kubernetes.io/instance", "heart")
                      .list()
                      .getItems();
              assertThat(sets).as("a new ReplicaSet for the rollout").hasSize(2);
              cluster.assertConverged("heart", 2);
            });
  }

  private static PodSpec template() {
    return cluster.deployment("heart").getSpec().getTemplate().getSpec();
  }

  private static Volume modelVolume() {
    return template().getVolumes().stream()
        .filter(v -> "model".equals(v.getName()))
        .findFirst()
        .orElseThrow();
  }

  private static ModelStatus model() {
    InferenceService is = cluster.inferenceService("heart").get();
    return is.getStatus().getModel();
  }
}
