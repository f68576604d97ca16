package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.CrashMode;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.ProbesSpecBuilder;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resources, probes, start delay and crashes as they reach the pods. */
class PodSpecIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void appliesResourcesOrDefaults() {
    cluster.create(
        cluster.newInferenceService(
            "custom",
            1,
            spec ->
                spec.setResources(
                    new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("250m"))
                        .addToRequests("memory", new Quantity("64Mi"))
                        .addToLimits("cpu", new Quantity("1"))
                        .addToLimits("memory", new Quantity("512Mi"))
                        .build())));
    cluster.create(cluster.newInferenceService("defaults", 1, spec -> {}));
    cluster.awaitPhase("custom", Phase.Ready);
    cluster.awaitPhase("defaults", Phase.Ready);

    Container custom = container("custom");
    assertThat(custom.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("64Mi"));
    assertThat(custom.getResources().getLimits())
        .containsEntry("cpu", new Quantity("1"))
        .containsEntry("memory", new Quantity("512Mi"));
    Container defaults = container("defaults");
    assertThat(defaults.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(defaults.getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(defaults.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(defaults.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
  }

  @Test
  void probesAndStartDelayKeepPodsUnreadyUntilTheDelayPassed() {
    int delay = 4;
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec -> {
              spec.setApp(Fixtures.startDelay(delay).build());
              spec.setProbes(
                  new ProbesSpecBuilder()
                      .withNewReadiness()
                      .withPeriodSeconds(2)
                      .withFailureThreshold(5)
                      .endReadiness()
                      .build());
            }));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.inferenceService("heart").get().getStatus();
              assertThat(status).isNotNull();
              assertThat(status.getPhase()).isEqualTo(Phase.Pending);
              assertThat(status.getReadyReplicas()).isZero();
            });
    cluster.awaitPhase("heart", Phase.Ready);

    for (Pod pod : cluster.livePods("heart")) {
      Container c = pod.getSpec().getContainers().get(0);
      assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
      assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(2);
      assertThat(c.getReadinessProbe().getFailureThreshold()).isEqualTo(5);
      assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
      assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("START_DELAY_SECONDS"));
      Instant started =
          Instant.parse(
              pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
      Instant ready =
          Instant.parse(
              pod.getStatus().getConditions().stream()
                  .filter(cond -> "Ready".equals(cond.getType()))
                  .findFirst()
                  .orElseThrow()
                  .getLastTransitionTime());
      // Timestamps have second precision, hence one second of slack.
      assertThat(Duration.between(started, ready))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(delay - 1));
    }
  }

  @Test
  void crashingPodsMakeThePhaseDegraded() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(
                  Fixtures.startDelay(1)
                      .withCrashAfterSeconds(3)
                      .withCrashMode(CrashMode.EXIT)
                      .build());
            }));
    cluster.awaitPhase("heart", Phase.Ready);
    await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              var status = cluster.inferenceService("heart").get().getStatus();
              assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
              assertThat(status.getConditions())
                  .anyMatch(c -> c.getType().equals("Degraded") && c.getStatus().equals("True"));
            });
  }

  private Container container(String name) {
    return cluster
        .client()
        .apps()
        .deployments()
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }
}
