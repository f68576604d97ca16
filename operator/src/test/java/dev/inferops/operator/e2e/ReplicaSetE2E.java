package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The homework's ReplicaSet on real pods: an image change keeps the running pods, scaling up adds
 * pods of the new image, and the Service then answers from both versions.
 */
@ExtendWith(RealNode.Required.class)
class ReplicaSetE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void bothVersionsAnswerAfterAnImageChangeAndAScaleUp() {
    cluster.create(
        RealNode.inferenceService(
            cluster,
            "mixed",
            2,
            spec -> {
              spec.setWorkload(WorkloadKind.ReplicaSet);
              spec.setApp(Fixtures.startDelay(1).build());
            }));
    cluster.awaitPhase("mixed", Phase.Ready);
    RealNode.awaitServiceAnswers(cluster, "mixed");
    Set<String> firstPods = podNames();

    cluster.editSpec("mixed", spec -> spec.setImage(IMAGE_V2));
    cluster.awaitPhase("mixed", Phase.Ready);
    assertThat(podNames()).as("an image change keeps the running pods").isEqualTo(firstPods);
    assertThat(versionsAnswering(40)).containsExactly("0.1.0");

    cluster.editSpec("mixed", spec -> spec.setReplicas(4));
    cluster.awaitPhase("mixed", Phase.Ready);
    await().atMost(RealNode.E2E_TIMEOUT).until(() -> cluster.livePods("mixed").size() == 4);
    assertThat(podNames()).containsAll(firstPods);
    // kube-proxy spreads new connections at random: 200 tries miss a version with p < 1e-60.
    assertThat(versionsAnswering(200)).containsExactlyInAnyOrder("0.1.0", "0.2.0");
  }

  private Set<String> podNames() {
    Set<String> names = new HashSet<>();
    cluster.livePods("mixed").forEach(p -> names.add(p.getMetadata().getName()));
    return names;
  }

  /** The versions that answer a bounded number of predictions, each on a new connection. */
  private Set<String> versionsAnswering(int requests) {
    Set<String> versions = new HashSet<>();
    String ip = RealNode.clusterIp(cluster, "mixed");
    int port = RealNode.servicePort(cluster, "mixed");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int i = 0; i < requests && System.nanoTime() < deadline; i++) {
      Traffic.Answer a = Traffic.once(ip, port, "/predict", Traffic.PATIENT);
      assertThat(a.status()).as(a.body()).isEqualTo(200);
      versions.add(a.version());
    }
    return versions;
  }
}
