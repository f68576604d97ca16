package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue-green on real pods, under traffic through the active Service: the smoke test really calls
 * the preview pods, promotion, rollback and abort lose no request, and every answer comes from the
 * version the active Service selects at that moment (a new connection per request, so kube-proxy
 * routes each by the Service's current endpoints).
 */
@ExtendWith(RealNode.Required.class)
class BlueGreenE2E {

  // The waits inside the traffic loops, which must outlive them all.
  private static final Duration FIRST_ANSWERS = Duration.ofSeconds(10);
  private static final Duration VERSION_SWITCH = Duration.ofSeconds(60);
  private static final Duration STATUS_FOLLOWS = Duration.ofSeconds(30);
  private static final Duration FINISH = Duration.ofSeconds(20);

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void promotionRollbackAndAbortUnderTrafficLoseNoRequest() {
    RealNode.deployReady(
        cluster,
        "heart",
        2,
        spec ->
            spec.setStrategy(
                Fixtures.blueGreen()
                    .withNewBlueGreen()
                    .withAutoPromotionEnabled(false)
                    .withScaleDownDelaySeconds(120)
                    .endBlueGreen()
                    .build()));
    String firstRevision = rollout().getActiveRevision();

    try (Traffic traffic =
        RealNode.serviceTraffic(
            cluster,
            "heart",
            true,
            RealNode.E2E_TIMEOUT, // paused
            VERSION_SWITCH,
            STATUS_FOLLOWS,
            VERSION_SWITCH,
            STATUS_FOLLOWS,
            RealNode.E2E_TIMEOUT, // paused again
            RealNode.E2E_TIMEOUT, // aborted
            FINISH)) {
      // A new version: checked on its own pods, then paused for promotion.
      cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
      RolloutStatus paused = awaitPausedWithItsSmokeTest();
      assertThat(paused.getSmokeTest().getPassed()).as(paused.getSmokeTest().getMessage()).isTrue();
      assertThat(predictionsServed(paused.getPreviewRevision()))
          .as("the smoke test's predictions reached the preview pods")
          .isPositive();
      assertThat(traffic.versions().keySet())
          .as("still only the active version")
          .containsOnly("0.1.0");

      annotate("inferops.dev/promote");
      awaitVersionAnswering(traffic, "0.2.0");
      awaitActiveRevision(paused.getPreviewRevision());

      // Back to the first version while its pods are still kept: a selector switch.
      annotate("inferops.dev/rollback");
      awaitVersionAnswering(traffic, "0.1.0");
      awaitActiveRevision(firstRevision);

      // Another attempt, given up while paused: the active version never changes.
      cluster.editSpec(
          "heart",
          spec -> {
            spec.setImage(IMAGE_V2);
            spec.setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar("ATTEMPT", "2", null)));
          });
      awaitPausedWithItsSmokeTest();
      annotate("inferops.dev/abort");
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(rollout().getPhase()).isEqualTo(RolloutPhase.Degraded);
                assertThat(rollout().getActiveRevision()).isEqualTo(firstRevision);
              });
      traffic.finish(
          "BlueGreen promote, rollback and abort, 2 replicas, new connection per request", FINISH);
      assertThat(traffic.failed()).as(traffic.summary("blue-green")).isZero();
      assertThat(traffic.versionRuns())
          .as("each answer from the version active at that moment")
          .containsExactly("0.1.0", "0.2.0", "0.1.0");
    }
  }

  @Test
  void switchingARollingDeploymentToBlueGreenLosesNoRequest() {
    RealNode.deployReady(cluster, "heart", 2, spec -> {});
    try (Traffic traffic =
        RealNode.serviceTraffic(
            cluster,
            "heart",
            true,
            FIRST_ANSWERS,
            RealNode.E2E_TIMEOUT,
            OperatorExtension.TIMEOUT,
            FINISH)) {
      traffic.awaitMoreAnswers(20, FIRST_ANSWERS);
      cluster.editSpec("heart", spec -> spec.setStrategy(Fixtures.blueGreen().build()));
      // The rolling Deployment's pods serve until the first revision has all of its pods ready.
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(cluster.deployment("heart"))
                    .as("the rolling Deployment is gone")
                    .isNull();
                assertThat(rollout().getActiveRevision()).isNotNull();
              });
      cluster.awaitPhase("heart", Phase.Ready);
      traffic.finish(
          "RollingUpdate to BlueGreen switch, 2 replicas, new connection per request", FINISH);
      assertThat(traffic.failed()).as(traffic.summary("switch")).isZero();
    }
  }

  private RolloutStatus rollout() {
    InferenceService is = cluster.inferenceService("heart").get();
    assertThat(is.getStatus()).isNotNull();
    assertThat(is.getStatus().getRollout()).isNotNull();
    return is.getStatus().getRollout();
  }

  /**
   * Waits for the pause before promotion, with the smoke result of the revision it paused; on a
   * timeout the message shows where the rollout stood.
   */
  private RolloutStatus awaitPausedWithItsSmokeTest() {
    AtomicReference<RolloutStatus> paused = new AtomicReference<>();
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .untilAsserted(
            () -> {
              RolloutStatus r = rollout();
              SmokeTestResult smoke = r.getSmokeTest();
              assertThat(
                      r.getPhase() == RolloutPhase.Paused
                          && smoke != null
                          && r.getPreviewRevision() != null
                          && r.getPreviewRevision().equals(smoke.getRevision()))
                  .as(
                      "paused with the preview's smoke test; rollout %s/%s: %s; last smoke test: %s",
                      r.getPhase(),
                      r.getReason(),
                      r.getMessage(),
                      smoke == null
                          ? "none"
                          : smoke.getRevision()
                              + " attempt "
                              + smoke.getAttempt()
                              + ": "
                              + smoke.getMessage())
                  .isTrue();
              paused.set(r);
            });
    return paused.get();
  }

  /** The Service is switched before the status says so, so the status may follow a moment later. */
  private void awaitActiveRevision(String revision) {
    await()
        .atMost(STATUS_FOLLOWS)
        .untilAsserted(() -> assertThat(rollout().getActiveRevision()).isEqualTo(revision));
  }

  private void annotate(String command) {
    cluster
        .inferenceService("heart")
        .edit(
            is -> {
              is.getMetadata().getAnnotations().put(command, "true");
              return is;
            });
  }

  private static void awaitVersionAnswering(Traffic traffic, String version) {
    await()
        .atMost(VERSION_SWITCH)
        .until(
            () -> {
              List<Traffic.Answer> answers = traffic.answers();
              return !answers.isEmpty()
                  && answers.get(answers.size() - 1).version().equals(version);
            });
  }

  /** The predictions the pods of one revision served, from their own /metrics. */
  private long predictionsServed(String revision) {
    long total = 0;
    for (Pod pod : cluster.livePods("heart")) {
      if (!revision.equals(pod.getMetadata().getLabels().get("inferops.dev/revision"))) {
        continue;
      }
      Traffic.Answer metrics = Traffic.once(pod.getStatus().getPodIP(), 8000, "/metrics", null);
      total +=
          metrics
              .body()
              .lines()
              .filter(l -> l.startsWith("inference_predictions_total"))
              .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
              .sum();
    }
    return total;
  }
}
