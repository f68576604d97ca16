package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A rolling update whose new pods never turn ready ends Degraded, saying why. */
class ProgressDeadlineIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void aStuckRollingUpdateIsDegradedWithTheDeadlineAndThePodsReason() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec ->
                spec.setStrategy(Fixtures.rollingUpdate().withProgressDeadlineSeconds(5).build())));
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(cluster.deployment("heart").getSpec().getProgressDeadlineSeconds()).isEqualTo(5);

    cluster.editSpec(
        "heart", spec -> spec.setNodeSelector(Map.of("inferops.dev/no-such-node", "true")));

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.inferenceService("heart").get().getStatus();
              assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
              Condition degraded = cluster.condition("heart", "Degraded");
              assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
              assertThat(degraded.getMessage()).contains("Unschedulable");
            });
    var is = cluster.inferenceService("heart").get();
    assertThat(is.getStatus().getRollingUpdate().getFailedRevision())
        .as("without autoRollback nothing counts as failed")
        .isNull();
    assertThat(cluster.deployment("heart").getSpec().getTemplate().getSpec().getNodeSelector())
        .as("without autoRollback the stuck template stays")
        .containsEntry("inferops.dev/no-such-node", "true");
    assertThat(cluster.livePods("heart"))
        .as("the old pods keep serving")
        .filteredOn(
            p -> p.getSpec().getNodeSelector() == null || p.getSpec().getNodeSelector().isEmpty())
        .hasSizeGreaterThanOrEqualTo(1);
  }
}
