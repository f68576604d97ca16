package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workload Pod: exactly replicas bare pods, re-created when deleted, replaced on a new template.
 */
class PodWorkloadIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void keepsExactlyReplicasBarePods() {
    cluster.create(
        cluster.newInferenceService("heart", 3, spec -> spec.setWorkload(WorkloadKind.Pod)));
    cluster.awaitPhase("heart", Phase.Ready);

    String uid = cluster.inferenceService("heart").get().getMetadata().getUid();
    assertThat(cluster.livePods("heart"))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyInAnyOrder("heart-0", "heart-1", "heart-2");
    assertThat(cluster.livePods("heart"))
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getOwnerReferences())
                  .singleElement()
                  .satisfies(o -> assertThat(o.getUid()).isEqualTo(uid));
              assertThat(p.getMetadata().getLabels()).containsEntry("inferops.dev/workload", "Pod");
              assertThat(p.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(p.getSpec().getAutomountServiceAccountToken()).isFalse();
            });

    // A deleted pod is re-created.
    String oldUid = cluster.client().pods().withName("heart-1").get().getMetadata().getUid();
    cluster.client().pods().withName("heart-1").delete();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Pod pod = cluster.client().pods().withName("heart-1").get();
              assertThat(pod).isNotNull();
              assertThat(pod.getMetadata().getUid()).isNotEqualTo(oldUid);
            });
    cluster.awaitPhase("heart", Phase.Ready);

    // A changed template replaces the pods.
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.livePods("heart"))
                    .hasSize(3)
                    .allSatisfy(
                        p ->
                            assertThat(p.getSpec().getContainers().get(0).getImage())
                                .isEqualTo(IMAGE_V2)));
    cluster.awaitPhase("heart", Phase.Ready);

    // Scaling down removes the highest-numbered pods.
    cluster.editSpec("heart", spec -> spec.setReplicas(1));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.livePods("heart"))
                    .extracting(p -> p.getMetadata().getName())
                    .containsExactly("heart-0"));
    cluster.awaitPhase("heart", Phase.Ready);
  }
}
