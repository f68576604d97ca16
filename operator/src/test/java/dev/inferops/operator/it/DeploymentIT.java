package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Deployment InferenceService: owned objects, labels, status, conditions and Events. */
class DeploymentIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void createsDeploymentServiceAndConfigMapAndReportsReady() {
    cluster.create(cluster.newInferenceService("heart", 2, spec -> {}));

    cluster.awaitPhase("heart", Phase.Ready);
    InferenceService is = cluster.inferenceService("heart").get();
    Deployment deployment = cluster.deployment("heart");
    Service service = cluster.client().services().withName("heart").get();
    ConfigMap config = cluster.client().configMaps().withName("heart-config").get();

    for (var owned : java.util.List.of(deployment, service, config)) {
      assertThat(owned.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(is.getMetadata().getUid()));
      assertThat(owned.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/name", "inference-service")
          .containsEntry("app.kubernetes.io/instance", "heart")
          .containsEntry("app.kubernetes.io/managed-by", "inference-operator");
    }
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("inferops.dev/workload", "Deployment");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsKeys("inferops.dev/config-hash", "inferops.dev/template-hash");
    assertThat(config.getData()).containsEntry("PORT", "8000");
    assertThat(service.getSpec().getSelector())
        .containsEntry("app.kubernetes.io/instance", "heart")
        .doesNotContainKey("inferops.dev/workload");

    var status = is.getStatus();
    assertThat(status.getReplicas()).isEqualTo(2);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getUpdatedReplicas()).isEqualTo(2);
    assertThat(status.getAvailableReplicas()).isEqualTo(2);
    assertThat(status.getUrl()).isEqualTo("http://heart." + cluster.namespace() + ".svc:80");
    assertThat(status.getSelector())
        .isEqualTo(
            "app.kubernetes.io/instance=heart,app.kubernetes.io/name=inference-service,"
                + "inferops.dev/workload=Deployment");
    assertThat(status.getImages())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.getImage()).isEqualTo(IMAGE_V1);
              assertThat(i.getReplicas()).isEqualTo(2);
              assertThat(i.getReadyReplicas()).isEqualTo(2);
            });
    assertThat(status.getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus())
        .containsExactlyInAnyOrder("Ready=True", "Progressing=False", "Degraded=False");
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getLastTransitionTime()).isNotBlank();
              assertThat(c.getReason()).isNotBlank();
              assertThat(c.getObservedGeneration()).isEqualTo(is.getMetadata().getGeneration());
            });

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        cluster.client().v1().events().list().getItems().stream()
                            .filter(e -> "heart".equals(e.getInvolvedObject().getName()))
                            .filter(e -> "InferenceService".equals(e.getInvolvedObject().getKind()))
                            .map(e -> e.getReason() + ":" + e.getMessage())
                            .toList())
                    .contains(
                        "Created:Created ConfigMap heart-config, Deployment heart,"
                            + " PodDisruptionBudget heart, Service heart")
                    .anyMatch(m -> m.startsWith("PhaseReady:")));
  }
}
