package dev.inferops.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.testsupport.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The local cluster looks after its control plane as kubelet or systemd would: `status` checks
 * every component by PID and health, and a component that exits is started again.
 */
class LocalClusterSupervisionIT {

  record Result(int exitCode, String output) {}

  @Test
  void statusSeesAStalledComponentAndAnExitedOneIsStartedAgain() throws Exception {
    assertThat(script("status").exitCode()).as("healthy at the start").isZero();
    long pid = Long.parseLong(script("pid", "kube-controller-manager").output().trim());

    // Stopped (not gone): the PID is there but its health endpoint does not answer.
    signal("STOP", pid);
    try {
      Result stalled = script("status");
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
              String now = script("pid", "kube-controller-manager").output().trim();
              assertThat(Long.parseLong(now)).isNotEqualTo(pid);
              assertThat(script("status").exitCode()).isZero();
            });
  }

  private static void signal(String signal, long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
  }

  private static Result script(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = Repository.resolve("hack/local-cluster.sh").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
