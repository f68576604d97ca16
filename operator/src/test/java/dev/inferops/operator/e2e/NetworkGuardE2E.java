package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Nothing leaves the machine: the simulated pods' addresses and a Service in front of them are
 * reached from the host, every attempt fails locally, and the guard that would drop (and count) any
 * packet for those ranges leaving through the machine's own interface counts none.
 */
@ExtendWith(RealNode.Required.class)
class NetworkGuardE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void packetsForSimulatedPodsNeverLeaveTheMachine() {
    cluster.create(
        cluster.newInferenceService("fake", 2, spec -> spec.setWorkload(WorkloadKind.Deployment)));
    cluster.awaitPhase("fake", Phase.Ready);
    List<String> podIps =
        cluster.livePods("fake").stream().map(p -> p.getStatus().getPodIP()).toList();
    assertThat(podIps).allSatisfy(ip -> assertThat(ip).startsWith("10.240."));
    String nodeIp =
        cluster
            .client()
            .nodes()
            .withName(cluster.livePods("fake").get(0).getSpec().getNodeName())
            .get()
            .getStatus()
            .getAddresses()
            .get(0)
            .getAddress();
    List<String> before = guardCounters();

    // The ClusterIP (kube-proxy translates it to a fake pod), the pods and their node directly.
    // Wait for kube-proxy's rule for the Service first, so the probes take the translated path.
    String clusterIp = RealNode.clusterIp(cluster, "fake");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                LocalCluster.run(List.of("iptables-save", "-t", "nat"), Duration.ofSeconds(30))
                    .output()
                    .contains("-d " + clusterIp + "/32"));
    for (int i = 0; i < 5; i++) {
      assertUnreachable(clusterIp, RealNode.servicePort(cluster, "fake"));
    }
    for (String ip : podIps) {
      assertUnreachable(ip, 8000);
    }
    assertUnreachable(nodeIp, 10250);

    List<String> after = guardCounters();
    assertThat(after).isEqualTo(before).allSatisfy(c -> assertThat(c).startsWith("0 "));
  }

  /**
   * The connection never succeeds: it is refused, finds no route (the blackhole routes), or times
   * out where a packet dies on this machine (the Service range's portless sink bridge). None of
   * these says where a packet went; the guard's counters, before and after the probes, do. No
   * wall-clock bound: how long an attempt takes says more about the machine's load than the path.
   */
  private static void assertUnreachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      throw new AssertionError("connected to " + host + ":" + port);
    } catch (IOException expected) {
      // Refused, unreachable or timed out here, on this machine.
    }
  }

  /** "packets comment" for each DROP rule of the guard (hack/network-guard.sh counters). */
  private static List<String> guardCounters() {
    LocalCluster.Result result = LocalCluster.hack("network-guard.sh", "counters");
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> lines = result.output().lines().toList();
    assertThat(lines).as("guard rules").hasSizeGreaterThanOrEqualTo(5);
    return lines;
  }
}
