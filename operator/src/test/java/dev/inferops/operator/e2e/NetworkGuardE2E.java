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
import java.net.SocketTimeoutException;
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
    // Before kube-proxy has the Service's rule a SYN dies silently on the Service range's sink
    // bridge (a timeout, yet still on this machine); with it, the translated packet meets the
    // fake pods' blackhole route at once. Wait for the rule, so the test sees that path.
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
   * The connection fails on this machine at once: refused, or no route (the blackhole routes), as
   * the kernel answers; a timeout would mean the packet went somewhere, so it fails the test. No
   * wall-clock bound: how long the attempt took says more about the machine's load than the path.
   */
  private static void assertUnreachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 5000);
      throw new AssertionError("connected to " + host + ":" + port);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(host + ":" + port + " timed out instead of failing locally", e);
    } catch (IOException expected) {
      // Refused or unreachable here, on this machine.
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
