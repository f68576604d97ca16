package dev.inferops.operator.cluster;

import static dev.inferops.operator.testsupport.LocalCluster.script;
import static dev.inferops.operator.testsupport.LocalCluster.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.testsupport.LocalCluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The local cluster looks after its control plane as kubelet or systemd would: `status` checks
 * every component by PID and health, and a component that exits is started again.
 */
class LocalClusterSupervisionIT {

  @Test
  void statusSeesAStalledComponentAndAnExitedOneIsStartedAgain() {
    assertThat(script("status").exitCode()).as("healthy at the start").isZero();
    long pid = LocalCluster.pid("kube-controller-manager");

    // Stopped (not gone): the PID is there but its health endpoint does not answer.
    signal("STOP", pid);
    try {
      LocalCluster.Result stalled = script("status");
      assertThat(stalled.exitCode()).isEqualTo(1);
      assertThat(stalled.output()).contains("kube-controller-manager(unhealthy)");
    } finally {
      signal("CONT", pid);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> script("status").exitCode() == 0);

    // Gone, as after losing its lease while the API server stalled: started again.
    signal("KILL", pid);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(LocalCluster.pid("kube-controller-manager")).isNotEqualTo(pid);
              assertThat(script("status").exitCode()).isZero();
            });
  }
}
