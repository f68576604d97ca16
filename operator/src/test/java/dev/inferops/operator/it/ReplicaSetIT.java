package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.ImageStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workload ReplicaSet: an image change only changes the template, as in Kubernetes. */
class ReplicaSetIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void imageChangeAffectsOnlyPodsAddedLater() {
    cluster.create(
        cluster.newInferenceService("heart", 3, spec -> spec.setWorkload(WorkloadKind.ReplicaSet)));
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(cluster.replicaSet("heart")).isNotNull();
    assertThat(imageMix()).isEqualTo(Map.of(IMAGE_V1, 3L));

    // New image and scale down: the template changes, the remaining pods keep the old image.
    cluster.editSpec(
        "heart",
        spec -> {
          spec.setImage(IMAGE_V2);
          spec.setReplicas(2);
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(imageMix()).isEqualTo(Map.of(IMAGE_V1, 2L));
              assertThat(
                      cluster
                          .replicaSet("heart")
                          .getSpec()
                          .getTemplate()
                          .getSpec()
                          .getContainers()
                          .get(0)
                          .getImage())
                  .isEqualTo(IMAGE_V2);
            });
    awaitImagesStatus(List.of(new ImageStatus(IMAGE_V1, 2, 2)));

    // Scale up: the added pods run the new image.
    cluster.editSpec("heart", spec -> spec.setReplicas(4));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(imageMix()).isEqualTo(Map.of(IMAGE_V1, 2L, IMAGE_V2, 2L)));
    awaitImagesStatus(List.of(new ImageStatus(IMAGE_V1, 2, 2), new ImageStatus(IMAGE_V2, 2, 2)));
    cluster.awaitPhase("heart", Phase.Ready);
    var status = cluster.inferenceService("heart").get().getStatus();
    assertThat(status.getReplicas()).isEqualTo(4);
    assertThat(status.getUpdatedReplicas()).isEqualTo(2);
  }

  private Map<String, Long> imageMix() {
    return cluster.livePods("heart").stream()
        .collect(
            Collectors.groupingBy(
                (Pod p) -> p.getSpec().getContainers().get(0).getImage(), Collectors.counting()));
  }

  private void awaitImagesStatus(List<ImageStatus> expected) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.inferenceService("heart").get().getStatus().getImages())
                    .isEqualTo(expected));
  }
}
