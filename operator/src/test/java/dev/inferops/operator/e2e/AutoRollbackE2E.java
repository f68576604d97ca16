package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rolling update to an image the real node does not have (pull policy Never, so the kubelet
 * reports ErrImageNeverPull and nothing is fetched): past its progress deadline the operator puts
 * the last available template back, says why with the kubelet's reason, and the Service never stops
 * answering from the old version.
 */
@ExtendWith(RealNode.Required.class)
class AutoRollbackE2E {

  private static final String MISSING_IMAGE = "inferops/inference-app:0.0.0-not-loaded";

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void aRolloutToAnImageThatCannotStartIsRolledBackWithoutLosingARequest() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "stuck",
            2,
            spec -> {
              DeploymentStrategySpec strategy = new DeploymentStrategySpec();
              strategy.setType(StrategyType.RollingUpdate);
              strategy.setMaxSurge(new IntOrString(1));
              strategy.setMaxUnavailable(new IntOrString(0));
              strategy.setProgressDeadlineSeconds(15);
              strategy.setAutoRollback(true);
              spec.setWorkload(WorkloadKind.Deployment);
              spec.setStrategy(strategy);
              spec.setApp(RealNode.app(2));
            }));
    cluster.awaitPhase("stuck", Phase.Ready);
    RealNode.awaitServiceAnswers(cluster, "stuck");
    try (Traffic traffic =
        Traffic.start(
            RealNode.clusterIp(cluster, "stuck"),
            RealNode.servicePort(cluster, "stuck"),
            200_000,
            Duration.ofSeconds(120))) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec("stuck", spec -> spec.setImage(MISSING_IMAGE));

      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () -> {
                var status = cluster.inferenceService("stuck").get().getStatus();
                assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
                assertThat(status.getConditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Degraded");
                          assertThat(c.getReason()).isEqualTo("RolledBack");
                          assertThat(c.getMessage())
                              .contains(MISSING_IMAGE)
                              .contains("ErrImageNeverPull")
                              .contains("rolled back to revision")
                              .contains(IMAGE_V1);
                        });
                assertThat(
                        cluster
                            .deployment("stuck")
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(IMAGE_V1);
                assertThat(cluster.livePods("stuck"))
                    .as("the stuck pod is gone, the old ones serve")
                    .hasSize(2)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo(IMAGE_V1);
                          assertThat(PodStates.isReady(p)).isTrue();
                        });
              });
      traffic.finish(
          "RollingUpdate to a missing image, rolled back, 2 replicas", Duration.ofSeconds(10));
      assertThat(traffic.failed()).as(traffic.summary("stuck")).isZero();
      assertThat(traffic.versions().keySet())
          .as("only the old version answered")
          .containsOnly("0.1.0");
    }
  }
}
