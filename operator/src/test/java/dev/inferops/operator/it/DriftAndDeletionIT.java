package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.OperatorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Owned objects edited or deleted by someone else are put back; deleting the CR removes all. */
class DriftAndDeletionIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void repairsEditedAndDeletedObjects() {
    cluster.create(cluster.newInferenceService("heart", 2, spec -> {}));
    cluster.awaitPhase("heart", Phase.Ready);

    cluster
        .client()
        .apps()
        .deployments()
        .withName("heart")
        .edit(
            d -> {
              d.getSpec().setReplicas(5);
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
              return d;
            });
    cluster
        .client()
        .services()
        .withName("heart")
        .edit(
            s -> {
              s.getSpec().getPorts().get(0).setPort(81);
              return s;
            });
    cluster.client().configMaps().withName("heart-config").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var d = cluster.deployment("heart");
              assertThat(d.getSpec().getReplicas()).isEqualTo(2);
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo(IMAGE_V1);
              assertThat(
                      cluster
                          .client()
                          .services()
                          .withName("heart")
                          .get()
                          .getSpec()
                          .getPorts()
                          .get(0)
                          .getPort())
                  .isEqualTo(80);
              assertThat(cluster.client().configMaps().withName("heart-config").get()).isNotNull();
            });

    cluster.client().services().withName("heart").delete();
    cluster.client().apps().deployments().withName("heart").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(cluster.client().services().withName("heart").get()).isNotNull();
              assertThat(cluster.deployment("heart")).isNotNull();
            });
    cluster.awaitPhase("heart", Phase.Ready);
  }

  @Test
  void deletingTheInferenceServiceDeletesEverythingItOwns() {
    cluster.create(cluster.newInferenceService("heart", 2, spec -> {}));
    cluster.create(
        cluster.newInferenceService("bare", 2, spec -> spec.setWorkload(WorkloadKind.Pod)));
    cluster.create(
        cluster.newInferenceService("rs", 1, spec -> spec.setWorkload(WorkloadKind.ReplicaSet)));
    cluster.awaitPhase("heart", Phase.Ready);
    cluster.awaitPhase("bare", Phase.Ready);
    cluster.awaitPhase("rs", Phase.Ready);

    cluster.inferenceServices().delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(cluster.client().apps().deployments().list().getItems()).isEmpty();
              assertThat(cluster.client().apps().replicaSets().list().getItems()).isEmpty();
              assertThat(
                      cluster
                          .client()
                          .services()
                          .withLabel("app.kubernetes.io/managed-by", "inference-operator")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      cluster
                          .client()
                          .configMaps()
                          .withLabel("app.kubernetes.io/managed-by", "inference-operator")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(cluster.client().pods().list().getItems()).isEmpty();
            });
  }
}
