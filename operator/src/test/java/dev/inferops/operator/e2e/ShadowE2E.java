package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.ShadowStatus;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Shadow on the real node, with predictions of every heart row in turn through the Service's
 * ClusterIP the whole time, on one kept-alive connection as a pooled client sends them (what is
 * measured is how a live pod serves its clients with and without copies; the Service's switch under
 * new connections is BlueGreenE2E's): the live pods copy them to the preview and compare; a model
 * that agrees with the live one on about 91 % of the rows is aborted by a gate of 99 %, with the
 * agreement the frameworks' own answers predict; the same model in a new image agrees on every copy
 * and is promoted; the live pods are never restarted and no client request fails.
 */
@ExtendWith(RealNode.Required.class)
class ShadowE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODELS =
      Repository.root().resolve("inference-app/src/test/resources/onnx");

  /** Enough that the shadow runs through several of the operator's readings before deciding. */
  private static final int MIN_COMPARISONS = 1500;

  /** A quarter of the requests: a sample, as users would run it, and still 150 in seconds. */
  private static final double SAMPLE_RATE = 0.25;

  private static JsonNode oracle(String model) throws IOException {
    return JSON.readTree(MODELS.resolve(model + ".oracle.json").toFile());
  }

  private static void putModel(String model) throws IOException {
    cluster.putBinaryConfigMap(
        "shadow-models", "model.onnx", Files.readAllBytes(MODELS.resolve(model + ".onnx")));
  }

  /** Every row of the oracle as a KServe V1 body of one instance. */
  private static List<String> rows(JsonNode oracle) {
    List<String> bodies = new ArrayList<>();
    for (JsonNode row : oracle.get("inputs")) {
      ObjectNode body = JSON.createObjectNode();
      body.putArray("instances").add(row);
      bodies.add(body.toString());
    }
    return bodies;
  }

  /** The share of rows on which two models give the same label, from their frameworks' answers. */
  private static double labelAgreement(JsonNode a, JsonNode b) {
    int n = a.get("labels").size();
    int same = 0;
    for (int r = 0; r < n; r++) {
      same += a.get("labels").get(r).asLong() == b.get("labels").get(r).asLong() ? 1 : 0;
    }
    return (double) same / n;
  }

  @Test
  void aGateAbortsAModelThatAgreesTooRarelyAndPromotesOneThatAlwaysAgrees() throws Exception {
    JsonNode forest = oracle("heart-forest");
    double offline = labelAgreement(forest, oracle("heart-logreg"));
    putModel("heart-forest");
    RealNode.deployReady(
        cluster,
        "shadow",
        2,
        spec -> {
          spec.setModel(Fixtures.model("shadow-models").withKey("model.onnx").build());
          spec.setStrategy(
              Fixtures.blueGreen()
                  .withProgressDeadlineSeconds(300)
                  .withNewBlueGreen()
                  .withNewShadow()
                  .withSampleRate(SAMPLE_RATE)
                  .withMinComparisons(MIN_COMPARISONS)
                  .withMinAgreement(0.99)
                  // Labels only: two models' probabilities always differ.
                  .withProbabilityTolerance(1.0)
                  .endShadow()
                  .endBlueGreen()
                  .build());
        });
    String liveRevision =
        cluster.inferenceService("shadow").get().getStatus().getRollout().getActiveRevision();
    Map<String, String> live = uids(liveRevision);

    try (Traffic traffic =
        Traffic.start(
            RealNode.clusterIp(cluster, "shadow"),
            RealNode.servicePort(cluster, "shadow"),
            "/predict",
            rows(forest),
            false,
            2_000_000,
            RealNode.E2E_TIMEOUT.multipliedBy(4),
            // A steady 500 requests a second: a service under load, not a saturated machine,
            // whose latency would measure the two cores the live and preview pods share here.
            Duration.ofMillis(2))) {
      // Warmed up first (the JIT), so that off and on compare the same steady servers.
      traffic.awaitMoreAnswers(5000, Duration.ofSeconds(60));
      long offFrom = System.nanoTime();
      traffic.awaitMoreAnswers(10000, Duration.ofSeconds(60));
      long offTo = System.nanoTime();

      // A model that gives the live one's label on about 91 % of the rows.
      putModel("heart-logreg");
      mark("model changed", offFrom);
      long onFrom = awaitRollout(r -> compared(r) > 0).nanos();
      RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded).status();
      long onTo = System.nanoTime();
      ShadowStatus shadow = aborted.getShadow();
      double measured = (double) shadow.getAgreed() / shadow.getCompared();
      double error = 3 * Math.sqrt(offline * (1 - offline) / shadow.getCompared());
      Figures.record(
          String.format(
              "shadow: agreement %.1f %% over %d copies vs %.1f %% offline over all 303 rows"
                  + " (3 sigma %.1f %%); %s",
              100 * measured,
              shadow.getCompared(),
              100 * offline,
              100 * error,
              aborted.getMessage()));
      assertThat(aborted.getReason()).isEqualTo("ShadowDisagreed");
      assertThat(aborted.getMessage()).contains("below the 99 % required");
      assertThat(shadow.getCompared()).isGreaterThanOrEqualTo(MIN_COMPARISONS);
      assertThat(measured)
          .as("agreement on the copies")
          .isBetween(offline - error, offline + error);
      assertThat(uids(liveRevision))
          .as("the live pods, not restarted by the shadow")
          .isEqualTo(live);

      double p99Off = traffic.p99Millis(offFrom, offTo);
      double p99On = traffic.p99Millis(onFrom, onTo);
      Figures.record(
          String.format(
              "shadow: live clients' p99 %.2f ms with the shadow off, %.2f ms with %.0f %% of"
                  + " requests copied (%.2fx)",
              p99Off, p99On, 100 * SAMPLE_RATE, p99On / p99Off));

      // The live model again: nothing to roll out; then the same model in a new image.
      putModel("heart-forest");
      mark("model back", offFrom);
      awaitRollout(r -> r.getPhase() == RolloutPhase.Healthy && r.getPreviewRevision() == null);
      mark("healthy again", offFrom);
      cluster.editSpec("shadow", spec -> spec.setImage(IMAGE_V2));
      RolloutStatus promoted =
          awaitRollout(
                  r ->
                      r.getPhase() == RolloutPhase.Healthy
                          && IMAGE_V2.equals(r.getActiveImage())
                          && r.getPreviewRevision() == null)
              .status();
      mark("promoted", offFrom);
      cluster.awaitPhase("shadow", Phase.Ready);
      traffic.finish("shadow: one model aborted, the same model promoted", Duration.ofSeconds(10));

      Figures.record("shadow: promoted with " + promoted.getShadow().getMessage());
      assertThat(promoted.getShadow().getCompared()).isGreaterThanOrEqualTo(MIN_COMPARISONS);
      assertThat(promoted.getShadow().getAgreed()).isEqualTo(promoted.getShadow().getCompared());
      assertThat(traffic.failed())
          .as(traffic.summary("shadow") + "; failures at " + failureTimes(traffic, offFrom))
          .isZero();
    }
  }

  private static void mark(String what, long zero) {
    System.out.printf(
        "[shadow e2e] %.1f s (%s): %s%n",
        (System.nanoTime() - zero) / 1e9, java.time.Instant.now(), what);
  }

  /** Seconds from {@code zero} to each failed request, to match with the log. */
  private static List<String> failureTimes(Traffic traffic, long zero) {
    return traffic.answers().stream()
        .filter(a -> a.status() != 200)
        .map(a -> String.format("%.1f s", (a.startNanos() - zero) / 1e9))
        .toList();
  }

  private static long compared(RolloutStatus r) {
    return Optional.ofNullable(r.getShadow()).map(ShadowStatus::getCompared).orElse(0L);
  }

  /** The pods of a revision by name, with their UIDs and restart counts. */
  private static Map<String, String> uids(String revision) {
    return cluster.livePods("shadow").stream()
        .filter(p -> revision.equals(p.getMetadata().getLabels().get("inferops.dev/revision")))
        .collect(
            Collectors.toMap(
                p -> p.getMetadata().getName(), p -> p.getMetadata().getUid() + "/" + restarts(p)));
  }

  private static int restarts(Pod p) {
    return p.getStatus().getContainerStatuses().stream().mapToInt(c -> c.getRestartCount()).sum();
  }

  /** A rollout status and when this test first saw it hold. */
  private record Seen(RolloutStatus status, long nanos) {}

  private static Seen awaitRollout(Predicate<RolloutStatus> condition) {
    RolloutStatus status =
        await()
            .atMost(RealNode.E2E_TIMEOUT.multipliedBy(2))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> {
                  InferenceService is = cluster.inferenceService("shadow").get();
                  return is.getStatus() == null ? null : is.getStatus().getRollout();
                },
                r -> r != null && condition.test(r));
    return new Seen(status, System.nanoTime());
  }
}
