package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every file under examples/ applies cleanly and its InferenceServices become Ready. */
class ExamplesIT {

  private static final Pattern INFERENCE_SERVICE_DOCUMENT =
      Pattern.compile("^kind: InferenceService\\s*$", Pattern.MULTILINE);

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator().smokeClient(ExamplesIT::answerLikeTheApp).build();

  /**
   * What the app answers for n rows (label 1 for both example patients), without a network: the
   * simulated pods have fake IPs.
   */
  private static SmokeClient.Response answerLikeTheApp(URI uri, String body, Duration timeout) {
    int rows;
    try {
      rows =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("instances").size();
    } catch (IOException e) {
      return new SmokeClient.Response(400, "{\"error\":\"malformed JSON\"}");
    }
    String one = "{\"label\":1,\"probability\":0.8016186875515258}";
    return new SmokeClient.Response(
        200,
        "{\"predictions\":["
            + String.join(",", java.util.Collections.nCopies(rows, one))
            + "],\"model\":\"heart\",\"version\":\"1.0.0\"}");
  }

  @Test
  void everyExampleConvergesToReady() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(Repository.root().resolve("examples"))) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).extracting(p -> p.getFileName().toString()).contains("inference-cr.yaml");

    // examples/onnx-pvc.yaml reads its model from a claim the user already has.
    cluster.createBoundClaim("models");
    List<String> names = new ArrayList<>();
    int documents = 0;
    for (Path file : files) {
      long inFile = INFERENCE_SERVICE_DOCUMENT.matcher(Files.readString(file)).results().count();
      assertThat(inFile).as("InferenceServices in %s", file.getFileName()).isPositive();
      documents += Math.toIntExact(inFile);
      try (InputStream in = new FileInputStream(file.toFile())) {
        for (HasMetadata object : cluster.client().load(in).items()) {
          object.getMetadata().setNamespace(cluster.namespace());
          cluster.client().resource(object).fieldManager("examples").serverSideApply();
          if ("InferenceService".equals(object.getKind())) {
            names.add(object.getMetadata().getName());
          }
        }
      }
    }
    // Counted from the text, so an InferenceService the loader dropped cannot go unnoticed.
    assertThat(names).hasSize(documents).doesNotHaveDuplicates();
    names.forEach(name -> cluster.awaitPhase(name, Phase.Ready));
  }

  @Test
  void blueGreenExamplesPauseForPromotionAndAbortOnAWrongLabel() throws IOException {
    for (String file :
        List.of("deployment-bluegreen-manual.yaml", "deployment-bluegreen-failing.yaml")) {
      try (InputStream in =
          new FileInputStream(Repository.root().resolve("examples").resolve(file).toFile())) {
        for (HasMetadata object : cluster.client().load(in).items()) {
          object.getMetadata().setNamespace(cluster.namespace());
          cluster.client().resource(object).fieldManager("examples").serverSideApply();
        }
      }
    }
    cluster.awaitPhase("heart-manual", Phase.Ready);
    cluster.awaitPhase("heart-failing", Phase.Ready);

    cluster.editSpec("heart-manual", spec -> spec.setImage(OperatorExtension.IMAGE_V2));
    cluster.editSpec("heart-failing", spec -> spec.setImage(OperatorExtension.IMAGE_V2));

    await()
        .atMost(OperatorExtension.TIMEOUT)
        .untilAsserted(
            () -> {
              var manual = cluster.inferenceService("heart-manual").get().getStatus().getRollout();
              assertThat(manual.getPhase()).isEqualTo(RolloutPhase.Paused);
              assertThat(manual.getReason()).isEqualTo("AwaitingPromotion");
              assertThat(manual.getSmokeTest().getMessage()).startsWith("2 instance(s)");
              assertThat(
                      cluster
                          .deployment("heart-manual-" + manual.getPreviewRevision())
                          .getSpec()
                          .getReplicas())
                  .as("checked at previewReplicaCount")
                  .isEqualTo(1);
              var failing = cluster.inferenceService("heart-failing").get().getStatus();
              assertThat(failing.getPhase()).isEqualTo(Phase.Degraded);
              assertThat(failing.getRollout().getReason()).isEqualTo("SmokeTestFailed");
              assertThat(failing.getRollout().getMessage())
                  .contains("instance 0: expected label 0");
              assertThat(failing.getRollout().getActiveImage())
                  .isEqualTo(OperatorExtension.IMAGE_V1);
            });
  }
}
