package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.CanaryStepBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canary on the real node, with predictions through the Service's ClusterIP the whole time, each on
 * a new connection (kube-proxy balances connections): a good canary is promoted step by step
 * without a failed request and takes the share of answers its weight says; a canary that fails some
 * predictions, or answers slowly, is aborted at its first step from the pods' own metrics.
 */
@ExtendWith(RealNode.Required.class)
class CanaryE2E {

  private static final int REPLICAS = 4;

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void goodCanaryIsPromotedStepByStepWithoutAFailedRequest() {
    deploy("good", List.of(weight(25), pause(20), weight(50), pause(20)), true);
    try (Traffic traffic = traffic("good")) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec("good", spec -> spec.setImage(IMAGE_V2));

      long quarterFrom = awaitRollout("good", r -> step(r) == 1).nanos();
      long quarterTo = awaitRollout("good", r -> step(r) == 2).nanos();
      long halfFrom = awaitRollout("good", r -> step(r) == 3).nanos();
      long halfTo =
          awaitRollout("good", r -> step(r) >= 4 || r.getPreviewRevision() == null).nanos();
      RolloutStatus promoted =
          awaitRollout(
                  "good",
                  r -> r.getPhase() == RolloutPhase.Healthy && r.getPreviewRevision() == null)
              .status();
      cluster.awaitPhase("good", Phase.Ready);
      traffic.finish("canary 25 % then 50 %, 4 replicas, promoted", Duration.ofSeconds(10));

      double quarter = share(traffic, IMAGE_V2, quarterFrom, quarterTo);
      double half = share(traffic, IMAGE_V2, halfFrom, halfTo);
      Figures.record(
          String.format(
              "canary share of answers: %.1f %% at weight 25 %%, %.1f %% at weight 50 %%",
              quarter, half));
      assertThat(traffic.failed()).as(traffic.summary("good")).isZero();
      assertThat(quarter).as("share of answers from the canary at 25 %").isBetween(13.0, 37.0);
      assertThat(half).as("share of answers from the canary at 50 %").isBetween(38.0, 62.0);
      assertThat(promoted.getActiveImage()).isEqualTo(IMAGE_V2);
      assertThat(promoted.getCanary().getAnalyses())
          .hasSize(2)
          .allSatisfy(a -> assertThat(a.getVerdict()).isEqualTo("Passed"));
    }
  }

  /**
   * The smoke test is off here: its one prediction may be among those the fault answers with 500
   * and abort the canary before the analysis judges it, which is right, but not what this test
   * measures.
   */
  @Test
  void canaryFailingSomePredictionsIsAbortedAtItsFirstStep() {
    deploy("errors", List.of(weight(25), pause(120), weight(50), pause(120)), false);
    try (Traffic traffic = traffic("errors")) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec("errors", spec -> canaryWith(spec, "FAULT_INJECTION_ERROR_FRACTION", "0.5"));

      RolloutStatus aborted =
          awaitRollout("errors", r -> r.getPhase() == RolloutPhase.Degraded).status();
      awaitStableAtFullCapacity("errors");
      traffic.finish("canary failing 50 % at weight 25 %, aborted", Duration.ofSeconds(10));

      double failed = 100.0 * traffic.failed() / traffic.answers().size();
      Figures.record(
          String.format(
              "bad canary: %.2f %% of %d requests failed; bound 25 %% x 50 %% = 12.5 %%; %s",
              failed, traffic.answers().size(), aborted.getMessage()));
      assertThat(aborted.getReason()).isEqualTo("CanaryAnalysisFailed");
      assertThat(aborted.getMessage()).contains("step 2 of 4").contains("error rate");
      assertThat(failed)
          .as("failed share, at most the weight times the canary's failure rate")
          .isLessThanOrEqualTo(12.5);
      assertThat(traffic.failed()).as("the canary did fail some").isPositive();
      cluster.awaitPhase("errors", Phase.Degraded);
    }
  }

  @Test
  void slowCanaryIsAbortedOnLatency() {
    deploy("slow", List.of(weight(25), pause(120)), true);
    try (Traffic traffic = traffic("slow")) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec("slow", spec -> canaryWith(spec, "FAULT_INJECTION_DELAY_MILLIS", "300"));

      RolloutStatus aborted =
          awaitRollout("slow", r -> r.getPhase() == RolloutPhase.Degraded).status();
      awaitStableAtFullCapacity("slow");
      traffic.finish("canary 300 ms slower at weight 25 %, aborted", Duration.ofSeconds(10));

      Figures.record("slow canary: " + aborted.getMessage());
      assertThat(aborted.getReason()).isEqualTo("CanaryAnalysisFailed");
      assertThat(aborted.getMessage()).contains("p95 latency");
      assertThat(traffic.failed()).as(traffic.summary("slow")).isZero();
    }
  }

  private static CanaryStep weight(int percent) {
    return new CanaryStepBuilder().withSetWeight(percent).build();
  }

  private static CanaryStep pause(int seconds) {
    return new CanaryStepBuilder().withNewPause().withSeconds(seconds).endPause().build();
  }

  /** The canary: the new image with one fault knob of the app turned on. */
  private static void canaryWith(
      dev.inferops.operator.api.v1alpha1.InferenceServiceSpec spec, String knob, String value) {
    spec.setImage(IMAGE_V2);
    spec.setEnv(List.of(new EnvVar(knob, value, null)));
  }

  private static void deploy(String name, List<CanaryStep> steps, boolean smokeTest) {
    RealNode.deployReady(
        cluster,
        name,
        REPLICAS,
        spec ->
            spec.setStrategy(
                Fixtures.canary()
                    .withNewCanary()
                    .withSteps(steps)
                    .withNewAnalysis()
                    .withIntervalSeconds(3)
                    .withMinRequests(20)
                    .endAnalysis()
                    .withNewSmokeTest()
                    .withEnabled(smokeTest)
                    .endSmokeTest()
                    .endCanary()
                    .build()));
  }

  private static Traffic traffic(String name) {
    return RealNode.serviceTraffic(
        cluster, name, true, RealNode.E2E_TIMEOUT, RealNode.E2E_TIMEOUT, Duration.ofSeconds(10));
  }

  private static void awaitStableAtFullCapacity(String name) {
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.livePods(name))
                    .as("the stable version back at every replica, the canary gone")
                    .hasSize(REPLICAS)
                    .allSatisfy(
                        p ->
                            assertThat(p.getSpec().getContainers().get(0).getImage())
                                .isNotEqualTo(IMAGE_V2)));
  }

  /** The share of successful answers in [from, to) (System.nanoTime) given by {@code image}. */
  private static double share(Traffic traffic, String image, long from, long to) {
    String version = image.substring(image.lastIndexOf(':') + 1);
    List<Traffic.Answer> window =
        traffic.answers().stream()
            .filter(a -> a.status() == 200 && a.startNanos() >= from && a.startNanos() < to)
            .toList();
    assertThat(window).as("answers between the two steps").hasSizeGreaterThan(50);
    return 100.0 * window.stream().filter(a -> version.equals(a.version())).count() / window.size();
  }

  private static int step(RolloutStatus r) {
    return r.getCanary() == null || r.getPreviewRevision() == null ? -1 : r.getCanary().getStep();
  }

  /** A rollout status and when this test first saw it hold. */
  private record Seen(RolloutStatus status, long nanos) {}

  private static Seen awaitRollout(String name, Predicate<RolloutStatus> condition) {
    RolloutStatus status =
        await()
            .atMost(RealNode.E2E_TIMEOUT)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () -> {
                  InferenceService is = cluster.inferenceService(name).get();
                  return is.getStatus() == null
                          || !Objects.equals(
                              is.getStatus().getObservedGeneration(),
                              is.getMetadata().getGeneration())
                      ? null
                      : is.getStatus().getRollout();
                },
                r -> r != null && condition.test(r));
    return new Seen(status, System.nanoTime());
  }
}
