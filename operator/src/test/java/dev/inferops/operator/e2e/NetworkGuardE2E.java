package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
    for (int i = 0; i < 5; i++) {
      assertUnreachable(RealNode.clusterIp(cluster, "fake"), RealNode.servicePort(cluster, "fake"));
    }
    for (String ip : podIps) {
      assertUnreachable(ip, 8000);
    }
    assertUnreachable(nodeIp, 10250);

    List<String> after = guardCounters();
    assertThat(after).isEqualTo(before).allSatisfy(c -> assertThat(c).startsWith("0 "));
  }

  private static void assertUnreachable(String host, int port) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      throw new AssertionError("connected to " + host + ":" + port);
    } catch (IOException expected) {
      // Refused, unreachable or timed out here, on this machine.
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(1500);
  }

  /** "packets comment" for each DROP rule of the guard (hack/real-node.sh guard-counters). */
  private static List<String> guardCounters() {
    LocalCluster.Result result = LocalCluster.hack("real-node.sh", "guard-counters");
    assertThat(result.exitCode()).as(result.output()).isZero();
    List<String> lines = result.output().lines().toList();
    assertThat(lines).as("guard rules").hasSizeGreaterThanOrEqualTo(5);
    return lines;
  }
}
