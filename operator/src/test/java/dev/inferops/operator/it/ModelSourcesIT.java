package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ModelStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A model from a ConfigMap's binaryData, a claim or a URL: the pod template each one makes, the
 * status naming it, a change of it rolling the pods, and blue-green's smoke test of an ONNX model
 * from its own metadata.
 */
class ModelSourcesIT {

  private static final String SHA_A =
      "e9ff84f5b12662bd2257318a7f5bf743a853cb7ec8427bd2b8898f61f8cd768a";
  private static final String SHA_B =
      "ffb7721172ba2b59006b3d7975a883e7c16a7b660ff7931d20929cdcd7305821";

  /** The requests the fake preview got, as "METHOD path". */
  static final List<String> calls = new CopyOnWriteArrayList<>();

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator().smokeClient(new OnnxApp()).build();

  /** Answers as the app does for heart-logreg.onnx, without a network. */
  static final class OnnxApp implements SmokeClient {
    @Override
    public Response get(URI uri, Duration timeout) {
      calls.add("GET " + uri.getPath());
      return uri.getPath().equals("/v1/models")
          ? new Response(200, "{\"models\":[\"heart-logreg\"]}")
          : new Response(
              200,
              "{\"name\":\"heart-logreg\",\"versions\":[\"1\"],\"platform\":\"onnxruntime\","
                  + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,13]}],"
                  + "\"outputs\":[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
                  + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]}");
    }

    @Override
    public Response post(URI uri, String body, Duration timeout) {
      calls.add("POST " + uri.getPath());
      return new Response(
          200,
          "{\"model_name\":\"heart-logreg\",\"model_version\":\"1\",\"outputs\":["
              + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[1]},"
              + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],"
              + "\"data\":[0.3,0.7]}]}");
    }
  }

  @BeforeEach
  void reset() {
    calls.clear();
  }

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

  @Test
  void blueGreenChecksAnOnnxModelWithOneZeroRowOfItsOwnMetadata() {
    createBinaryConfigMap(new byte[] {0, 1, 2});
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec -> {
              spec.setStrategy(
                  Fixtures.blueGreen()
                      .withNewBlueGreen()
                      .withScaleDownDelaySeconds(1)
                      .endBlueGreen()
                      .build());
              spec.setModel(Fixtures.model("heart-onnx").withKey("model.onnx").build());
            }));
    cluster.awaitPhase("heart", Phase.Ready);
    String v1 = rollout().getActiveRevision();

    cluster.editSpec("heart", spec -> spec.setImage(OperatorExtension.IMAGE_V2));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              RolloutStatus rollout = rollout();
              assertThat(rollout.getActiveRevision()).isNotEqualTo(v1);
              assertThat(rollout.getPhase()).isIn(RolloutPhase.Promoting, RolloutPhase.Healthy);
              assertThat(rollout.getSmokeTest().getPassed()).isTrue();
              assertThat(rollout.getSmokeTest().getMessage())
                  .startsWith("a zero row of input FP32 [1, 13] answered with every output");
            });
    assertThat(calls)
        .containsExactly(
            "GET /v1/models", "GET /v2/models/heart-logreg", "POST /v2/models/heart-logreg/infer");
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
    cluster.putBinaryConfigMap("heart-onnx", "model.onnx", file);
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

  private static RolloutStatus rollout() {
    return cluster.inferenceService("heart").get().getStatus().getRollout();
  }
}
