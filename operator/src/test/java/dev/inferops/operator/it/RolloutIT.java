package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.PodWatcher;
import dev.inferops.operator.testsupport.Pods;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deployment strategies, observed at every moment of the rollout through a pod informer. */
class RolloutIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void blueGreenRunsAllOldAndAllNewPodsAtOneMoment() {
    List<List<Pod>> snapshots = rollOutNewImage(3, Fixtures.blueGreenWithoutSmokeTest().build());

    assertThat(snapshots)
        .as("a moment with 3 old and 3 new pods")
        .anyMatch(
            s -> Pods.liveWithImage(s, IMAGE_V1) == 3 && Pods.liveWithImage(s, IMAGE_V2) == 3);
    assertThat(snapshots).as("never fewer than 3 ready pods").allMatch(s -> Pods.liveReady(s) >= 3);
    assertThat(snapshots)
        .as("each version in pods of its own revision")
        .allSatisfy(
            s ->
                assertThat(Pods.live(s))
                    .allSatisfy(p -> assertThat(PodStates.revision(p)).isNotNull()));
  }

  /**
   * maxSurge bounds the pods the ReplicaSets ask for: a pod the old ReplicaSet just gave up may
   * still be seen without its deletion mark while the new one is scaled up, so the bound is checked
   * on the ReplicaSets' replicas, as the Deployment controller keeps it.
   */
  @Test
  void rollingUpdateStaysWithinMaxSurgeAndMaxUnavailable() {
    List<Integer> asked = new CopyOnWriteArrayList<>();
    SharedIndexInformer<ReplicaSet> replicaSets =
        cluster
            .client()
            .apps()
            .replicaSets()
            .withLabel(ResourceNaming.LABEL_INSTANCE, "heart")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ReplicaSet rs) {
                    asked.add(askedReplicas());
                  }

                  @Override
                  public void onUpdate(ReplicaSet before, ReplicaSet after) {
                    asked.add(askedReplicas());
                  }

                  @Override
                  public void onDelete(ReplicaSet rs, boolean unknown) {
                    asked.add(askedReplicas());
                  }
                });
    List<List<Pod>> snapshots;
    try (replicaSets) {
      snapshots =
          rollOutNewImage(
              4,
              Fixtures.rollingUpdate()
                  .withMaxSurge(new IntOrString(1))
                  .withMaxUnavailable(new IntOrString(1))
                  .build());
    }

    assertThat(asked)
        .as("the ReplicaSets never ask for more than replicas + 1 pods")
        .allMatch(n -> n <= 5);
    assertThat(snapshots)
        .as("never fewer than replicas - 1 ready pods")
        .allMatch(s -> Pods.liveReady(s) >= 3);
    assertThat(snapshots)
        .as("old and new pods side by side during the rollout")
        .anyMatch(s -> Pods.liveWithImage(s, IMAGE_V1) > 0 && Pods.liveWithImage(s, IMAGE_V2) > 0);
  }

  private static int askedReplicas() {
    return cluster
        .client()
        .apps()
        .replicaSets()
        .withLabel(ResourceNaming.LABEL_INSTANCE, "heart")
        .list()
        .getItems()
        .stream()
        .mapToInt(rs -> rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas())
        .sum();
  }

  /**
   * Creates "heart" with the strategy on image v1, then changes the image to v2 and returns what a
   * pod informer saw from the change until all pods run v2 and the phase is Ready again.
   */
  private List<List<Pod>> rollOutNewImage(int replicas, DeploymentStrategySpec strategy) {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            replicas,
            spec -> {
              spec.setStrategy(strategy);
              spec.setApp(Fixtures.startDelay(1).build());
            }));
    cluster.awaitPhase("heart", Phase.Ready);

    try (PodWatcher watcher = new PodWatcher(cluster.client(), cluster.namespace(), "heart")) {
      cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
      awaitAllOn(IMAGE_V2, replicas);
      cluster.awaitPhase("heart", Phase.Ready);
      return watcher.snapshots();
    }
  }

  private void awaitAllOn(String image, int replicas) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.livePods("heart"))
                    .hasSize(replicas)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo(image);
                          assertThat(PodStates.isReady(p)).isTrue();
                        }));
  }
}
