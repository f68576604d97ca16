package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import org.junit.jupiter.api.Test;

/** Owned objects edited or deleted by someone else are put back; deleting the CR removes all. */
class DriftAndDeletionIT extends ClusterSupport {

  @Test
  void repairsEditedAndDeletedObjects() {
    create(newInferenceService("heart", 2, spec -> {}));
    awaitPhase("heart", Phase.Ready);

    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .withName("heart")
        .edit(
            d -> {
              d.getSpec().setReplicas(5);
              d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil:latest");
              return d;
            });
    client
        .services()
        .inNamespace(namespace)
        .withName("heart")
        .edit(
            s -> {
              s.getSpec().getPorts().get(0).setPort(81);
              return s;
            });
    client.configMaps().inNamespace(namespace).withName("heart-config").delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var d = deployment("heart");
              assertThat(d.getSpec().getReplicas()).isEqualTo(2);
              assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo(IMAGE_V1);
              assertThat(
                      client
                          .services()
                          .inNamespace(namespace)
                          .withName("heart")
                          .get()
                          .getSpec()
                          .getPorts()
                          .get(0)
                          .getPort())
                  .isEqualTo(80);
              assertThat(client.configMaps().inNamespace(namespace).withName("heart-config").get())
                  .isNotNull();
            });

    client.services().inNamespace(namespace).withName("heart").delete();
    client.apps().deployments().inNamespace(namespace).withName("heart").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.services().inNamespace(namespace).withName("heart").get())
                  .isNotNull();
              assertThat(deployment("heart")).isNotNull();
            });
    awaitPhase("heart", Phase.Ready);
  }

  @Test
  void deletingTheInferenceServiceDeletesEverythingItOwns() {
    create(newInferenceService("heart", 2, spec -> {}));
    create(newInferenceService("bare", 2, spec -> spec.setWorkload(WorkloadKind.Pod)));
    create(newInferenceService("rs", 1, spec -> spec.setWorkload(WorkloadKind.ReplicaSet)));
    awaitPhase("heart", Phase.Ready);
    awaitPhase("bare", Phase.Ready);
    awaitPhase("rs", Phase.Ready);

    inferenceServices().inNamespace(namespace).delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(client.apps().deployments().inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(client.apps().replicaSets().inNamespace(namespace).list().getItems())
                  .isEmpty();
              assertThat(
                      client
                          .services()
                          .inNamespace(namespace)
                          .withLabel("app.kubernetes.io/managed-by", "inference-operator")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(
                      client
                          .configMaps()
                          .inNamespace(namespace)
                          .withLabel("app.kubernetes.io/managed-by", "inference-operator")
                          .list()
                          .getItems())
                  .isEmpty();
              assertThat(client.pods().inNamespace(namespace).list().getItems()).isEmpty();
            });
  }
}
