package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.AppSpec;
import dev.inferops.operator.api.v1alpha1.CrashMode;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.ProbesSpec;
import dev.inferops.operator.api.v1alpha1.ProbesSpecBuilder;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The homework's pod: the operator's probes on the app's real port and path, a container that
 * starts late and one that crashes, handled by a real kubelet.
 */
@ExtendWith(RealNode.Required.class)
class PodLifecycleE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void runningButNotReadyDuringTheStartDelayThenReady() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "late",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(Fixtures.startDelay(8).build());
            }));
    AtomicBoolean sawRunningNotReady = new AtomicBoolean();
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              ContainerStatus c = container(RealNode.onlyPod(cluster, "late"));
              if (c.getState().getRunning() != null && !c.getReady()) {
                sawRunningNotReady.set(true);
              }
              assertThat(c.getReady()).isTrue();
            });
    assertThat(sawRunningNotReady).as("Running but not Ready during startDelaySeconds").isTrue();
    Pod pod = RealNode.onlyPod(cluster, "late");
    var started = container(pod).getState().getRunning().getStartedAt();
    var ready =
        pod.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow()
            .getLastTransitionTime();
    assertThat(Duration.between(java.time.Instant.parse(started), java.time.Instant.parse(ready)))
        .as("from container start to Ready")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    assertThat(container(pod).getRestartCount()).isZero();
    cluster.awaitPhase("late", Phase.Ready);
  }

  @Test
  void unhealthyAppIsRestartedByTheLivenessProbeWithBackOff() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "unhealthy",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(crashing(1, 4, CrashMode.UNHEALTHY));
              spec.setProbes(fastLiveness());
            }));
    AtomicBoolean sawBackOff = new AtomicBoolean();
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ContainerStatus c = container(RealNode.onlyPod(cluster, "unhealthy"));
              if (c.getState().getWaiting() != null
                  && "CrashLoopBackOff".equals(c.getState().getWaiting().getReason())) {
                sawBackOff.set(true);
              }
              assertThat(c.getRestartCount()).isGreaterThanOrEqualTo(2);
              assertThat(sawBackOff).as("CrashLoopBackOff between restarts").isTrue();
            });
    // The kubelet stopped it (SIGTERM: the app shuts down cleanly) because liveness failed.
    assertThat(container(RealNode.onlyPod(cluster, "unhealthy")).getLastState().getTerminated())
        .isNotNull();
    var events = cluster.client().v1().events().list().getItems();
    assertThat(events)
        .anyMatch(
            e ->
                "Unhealthy".equals(e.getReason())
                    && e.getMessage().startsWith("Liveness probe failed"))
        .anyMatch(
            e ->
                "Killing".equals(e.getReason())
                    && e.getMessage().contains("failed liveness probe, will be restarted"));
  }

  @Test
  void exitingAppIsRestarted() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "exits",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setApp(crashing(1, 4, CrashMode.EXIT));
            }));
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              ContainerStatus c = container(RealNode.onlyPod(cluster, "exits"));
              assertThat(c.getRestartCount()).isGreaterThanOrEqualTo(1);
              assertThat(c.getLastState().getTerminated()).isNotNull();
              assertThat(c.getLastState().getTerminated().getExitCode()).isEqualTo(1);
            });
  }

  static ContainerStatus container(Pod pod) {
    assertThat(pod.getStatus().getContainerStatuses()).isNotEmpty();
    return pod.getStatus().getContainerStatuses().get(0);
  }

  private static AppSpec crashing(int startDelay, int crashAfter, CrashMode mode) {
    return Fixtures.startDelay(startDelay)
        .withCrashAfterSeconds(crashAfter)
        .withCrashMode(mode)
        .build();
  }

  /** Liveness every 2 s, failing after 2 misses: a crash shows within seconds. */
  private static ProbesSpec fastLiveness() {
    return new ProbesSpecBuilder()
        .withNewLiveness()
        .withPeriodSeconds(2)
        .withFailureThreshold(2)
        .withInitialDelaySeconds(0)
        .endLiveness()
        .build();
  }
}
