package dev.inferops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves the local cluster behaves like Kubernetes where the operator depends on it: the Deployment
 * and ReplicaSet controllers, the garbage collector, and a pod lifecycle that follows the inference
 * container's start delay and crash timer.
 */
class LocalClusterSmokeIT {

  private static final Map<String, String> APP_LABELS = Map.of("app", "smoke");

  // Its plain pods would not pass the restricted Pod Security level of the operator's tests.
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withoutLocalOperator()
          .namespacePerClass()
          .namespaceLabels(Map.of())
          .build();

  @Test
  void deploymentRollsOutSurgesAndIsGarbageCollected() {
    cluster.client().apps().deployments().resource(deployment("app:v1")).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(readyPods("app:v1")).isEqualTo(3));

    // With maxSurge 100% / maxUnavailable 0 the controller must create all new pods before it
    // removes any old one: some moment has 3 old and 3 new pods at once.
    AtomicInteger mostOldAndNewAtOnce = new AtomicInteger();
    Map<String, String> imageByPod = new ConcurrentHashMap<>();
    try (Watch ignored =
        cluster
            .client()
            .pods()
            .withLabels(APP_LABELS)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (action == Action.DELETED) {
                      imageByPod.remove(name);
                    } else {
                      imageByPod.put(name, pod.getSpec().getContainers().get(0).getImage());
                    }
                    long old = imageByPod.values().stream().filter("app:v1"::equals).count();
                    long updated = imageByPod.values().stream().filter("app:v2"::equals).count();
                    if (old == 3 && updated == 3) {
                      mostOldAndNewAtOnce.set(6);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      cluster
          .client()
          .apps()
          .deployments()
          .withName("smoke")
          // A patch without a resourceVersion: the Deployment controller writes its status
          // meanwhile, and an optimistic edit would then fail with a conflict.
          .patch(
              PatchContext.of(PatchType.STRATEGIC_MERGE),
              "{\"spec\":{\"template\":{\"spec\":{\"containers\":"
                  + "[{\"name\":\"app\",\"image\":\"app:v2\"}]}}}}");
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                assertThat(readyPods("app:v2")).isEqualTo(3);
                assertThat(podsWithImage("app:v1")).isZero();
              });
    }
    assertThat(mostOldAndNewAtOnce.get()).as("3 old and 3 new pods existed at once").isEqualTo(6);

    cluster.client().apps().deployments().withName("smoke").delete();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(cluster.client().apps().replicaSets().list().getItems()).isEmpty();
              assertThat(cluster.client().pods().withLabels(APP_LABELS).list().getItems())
                  .isEmpty();
            });
  }

  @Test
  void podBecomesReadyOnlyAfterItsStartDelay() {
    // Every state the pod passes through, from a watch: polling could miss the not-ready phase
    // on a loaded machine, and a wall-clock window would measure the test, not the cluster.
    AtomicBoolean seenRunningNotReady = new AtomicBoolean();
    try (Watch ignored =
        cluster
            .client()
            .pods()
            .withName("delayed")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if ("Running".equals(pod.getStatus().getPhase())
                        && !Readiness.isPodReady(pod)) {
                      seenRunningNotReady.set(true);
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      cluster.client().pods().resource(pod("delayed", Map.of("START_DELAY_SECONDS", "5"))).create();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Readiness.isPodReady(currentPod("delayed")));
    }
    assertThat(seenRunningNotReady).as("Running and not Ready during the start delay").isTrue();
    // Measured between the cluster's own timestamps (whole seconds): the container started, and
    // Ready came the start delay later.
    Pod pod = currentPod("delayed");
    Instant started =
        Instant.parse(
            pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getStartedAt());
    assertThat(Duration.between(started, readySince(pod)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void crashingContainerRestartsWithTheKubeletsBackOff() {
    cluster
        .client()
        .pods()
        .resource(pod("crashing", Map.of("START_DELAY_SECONDS", "1", "CRASH_AFTER_SECONDS", "3")))
        .create();

    // The first failure restarts the container at once...
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ContainerStatus status = containerStatus("crashing");
              assertThat(status.getRestartCount()).isEqualTo(1);
              assertThat(status.getLastState().getTerminated()).isNotNull();
            });
    // ...the next one waits in CrashLoopBackOff, not ready, before the second restart.
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              ContainerStatus status = containerStatus("crashing");
              assertThat(status.getState().getWaiting()).isNotNull();
              assertThat(status.getState().getWaiting().getReason()).isEqualTo("CrashLoopBackOff");
              assertThat(Readiness.isPodReady(currentPod("crashing"))).isFalse();
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(containerStatus("crashing").getRestartCount()).isEqualTo(2));
    // After a restart the pod is Ready again once its start delay has passed.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Readiness.isPodReady(currentPod("crashing")));
  }

  private static ContainerStatus containerStatus(String pod) {
    return currentPod(pod).getStatus().getContainerStatuses().get(0);
  }

  private static Deployment deployment(String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("smoke")
        .endMetadata()
        .withNewSpec()
        .withReplicas(3)
        .withNewSelector()
        .withMatchLabels(APP_LABELS)
        .endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate()
        .withNewMaxSurge("100%")
        .withNewMaxUnavailable(0)
        .endRollingUpdate()
        .endStrategy()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(APP_LABELS)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod pod(String name, Map<String, String> env) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("app:v1")
        .withEnv(
            env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
        .endContainer()
        .endSpec()
        .build();
  }

  private static Pod currentPod(String name) {
    return cluster.client().pods().withName(name).get();
  }

  private static Instant readySince(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .findFirst()
        .orElseThrow();
  }

  private static List<Pod> appPods() {
    return cluster.client().pods().withLabels(APP_LABELS).list().getItems();
  }

  private static long podsWithImage(String image) {
    return appPods().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> image.equals(p.getSpec().getContainers().get(0).getImage()))
        .count();
  }

  private static long readyPods(String image) {
    return appPods().stream()
        .filter(p -> image.equals(p.getSpec().getContainers().get(0).getImage()))
        .filter(Readiness::isPodReady)
        .count();
  }
}
