package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rollouts under traffic: a request loop from the host through the Service's ClusterIP for the
 * whole rollout. With the defaults, blue-green and a rolling update with maxUnavailable 0 lose no
 * request, and the answers move from the old version to the new one.
 */
@ExtendWith(RealNode.Required.class)
class RolloutTrafficE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void blueGreenRolloutLosesNoRequests() {
    rollOutUnderTraffic("bluegreen", Fixtures.blueGreen().build());
  }

  @Test
  void rollingUpdateWithMaxUnavailableZeroLosesNoRequests() {
    rollOutUnderTraffic(
        "rolling",
        Fixtures.rollingUpdate()
            .withMaxSurge(new IntOrString(1))
            .withMaxUnavailable(new IntOrString(0))
            .build());
  }

  private void rollOutUnderTraffic(String name, DeploymentStrategySpec strategy) {
    RealNode.deployReady(
        cluster,
        name,
        3,
        spec -> {
          spec.setStrategy(strategy);
          spec.setApp(Fixtures.startDelay(2).build());
        });
    try (Traffic traffic =
        RealNode.serviceTraffic(
            cluster,
            name,
            false,
            Duration.ofSeconds(10),
            RealNode.E2E_TIMEOUT,
            OperatorExtension.TIMEOUT,
            Duration.ofSeconds(10))) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec(name, spec -> spec.setImage(IMAGE_V2));
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () -> {
                assertThat(cluster.livePods(name))
                    .hasSize(3)
                    .allSatisfy(
                        p ->
                            assertThat(p.getSpec().getContainers().get(0).getImage())
                                .isEqualTo(IMAGE_V2));
                assertThat(cluster.pods(name)).as("old pods terminated").hasSize(3);
              });
      cluster.awaitPhase(name, Phase.Ready);
      traffic.finish(strategy.getType() + " rollout, 3 replicas", Duration.ofSeconds(10));
      assertThat(traffic.failed()).as(traffic.summary(name)).isZero();
      List<String> versions = List.copyOf(traffic.versions().keySet());
      assertThat(versions)
          .as("versions in the order they answered")
          .containsExactly("0.1.0", "0.2.0");
      List<Traffic.Answer> answers = traffic.answers();
      assertThat(answers.get(answers.size() - 1).version()).isEqualTo("0.2.0");
    }
  }
}
