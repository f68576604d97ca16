package dev.inferops.operator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server frozen for 30 s (SIGSTOP, as a node under memory pressure or a paused VM would
 * freeze it): the same operator, not restarted, applies a spec change made afterwards, and the
 * local cluster's control plane is whole again (its supervisor restarts what exited on losing its
 * lease).
 */
class ApiServerStallIT {

  private static final Logger log = LoggerFactory.getLogger(ApiServerStallIT.class);
  private static final String NAME = "heart";
  private static final Duration STALL = Duration.ofSeconds(30);

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void theOperatorRecoversWithoutARestartAfterTheApiServerStalls() {
    InferenceOperator operator = cluster.operator();
    cluster.create(cluster.newInferenceService(NAME, 1, spec -> {}));
    await().atMost(OperatorExtension.TIMEOUT).untilAsserted(() -> cluster.assertConverged(NAME, 1));

    long apiServer = LocalCluster.pid("kube-apiserver");
    LocalCluster.signal("STOP", apiServer);
    try {
      await("the stall").pollDelay(STALL).atMost(STALL.plusSeconds(5)).until(() -> true);
    } finally {
      LocalCluster.signal("CONT", apiServer);
    }
    Instant resumed = Instant.now();

    await("the API server answers again")
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(() -> cluster.editSpec(NAME, spec -> spec.setReplicas(2)));
    await("the same operator applies the change")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              cluster.assertConverged(NAME, 2);
              assertThat(operator.isReady()).isTrue();
            });
    log.info(
        "converged {} ms after the API server resumed",
        Duration.between(resumed, Instant.now()).toMillis());
    assertThat(cluster.operator()).isSameAs(operator);

    await("every control-plane component runs and is healthy")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(2))
        .until(LocalCluster::healthy);
  }
}
