package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.PodWatcher;
import dev.inferops.operator.testsupport.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Switching the workload kind brings the new kind up before the old one goes. */
class WorkloadSwitchIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void switchesDeploymentToReplicaSetToPodsToDeploymentWithoutDowntime() {
    cluster.create(
        cluster.newInferenceService(
            "heart", 2, spec -> spec.setApp(Fixtures.startDelay(2).build())));
    cluster.awaitPhase("heart", Phase.Ready);

    try (PodWatcher watcher = new PodWatcher(cluster.client(), cluster.namespace(), "heart")) {
      switchTo(WorkloadKind.ReplicaSet);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.deployment("heart")).isNull());
      assertOnlyKind(WorkloadKind.ReplicaSet);

      switchTo(WorkloadKind.Pod);
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.replicaSet("heart")).isNull());
      assertOnlyKind(WorkloadKind.Pod);
      assertThat(cluster.livePods("heart"))
          .extracting(p -> p.getMetadata().getName())
          .containsExactlyInAnyOrder("heart-0", "heart-1");

      switchTo(WorkloadKind.Deployment);
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> assertThat(kindsOf(cluster.livePods("heart"))).containsOnly("Deployment"));
      cluster.awaitPhase("heart", Phase.Ready);

      List<List<Pod>> snapshots = watcher.snapshots();
      assertThat(snapshots)
          .as("the old kind's pods stay until the new kind's pods are ready")
          .allMatch(s -> Pods.liveReady(s) >= 2);
      for (String[] pair :
          new String[][] {
            {"Deployment", "ReplicaSet"}, {"ReplicaSet", "Pod"}, {"Pod", "Deployment"}
          }) {
        assertThat(snapshots)
            .as("old %s and new %s pods side by side", pair[0], pair[1])
            .anyMatch(s -> kindsOf(Pods.live(s)).containsAll(List.of(pair[0], pair[1])));
      }
    }
  }

  private void switchTo(WorkloadKind kind) {
    cluster.editSpec("heart", spec -> spec.setWorkload(kind));
    cluster.awaitPhase("heart", Phase.Ready);
  }

  private void assertOnlyKind(WorkloadKind kind) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(kindsOf(cluster.livePods("heart")))
                    .containsOnly(kind.name())
                    .hasSize(1));
    var status = cluster.inferenceService("heart").get().getStatus();
    assertThat(status.getSelector()).endsWith("inferops.dev/workload=" + kind.name());
    assertThat(status.getReadyReplicas()).isEqualTo(2);
  }

  private static List<String> kindsOf(List<Pod> pods) {
    return pods.stream()
        .map(p -> p.getMetadata().getLabels().get("inferops.dev/workload"))
        .distinct()
        .toList();
  }
}
