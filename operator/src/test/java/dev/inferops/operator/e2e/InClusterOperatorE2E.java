package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.OperatorSettings;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator installed the way users install it: the Helm chart through the helm CLI, the
 * operator image, two replicas with leader election on the real node. It reconciles from inside the
 * cluster with its ServiceAccount's permissions only, and deleting the leader's pod hands over to
 * the other replica.
 */
@ExtendWith(RealNode.Required.class)
class InClusterOperatorE2E {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withoutLocalOperator().build();

  private static final String RELEASE = "inferops";

  @AfterEach
  void uninstall() throws Exception {
    helm("uninstall", RELEASE, "--namespace", cluster.namespace(), "--wait", "--timeout", "60s");
  }

  @Test
  void reconcilesFromInsideTheClusterAndSurvivesTheLossOfItsLeader() throws Exception {
    Path values = Files.createTempFile("inferops-values", ".yaml");
    Files.writeString(
        values,
        String.join(
            "\n",
            "image: {pullPolicy: Never}",
            "watchNamespaces: [" + cluster.namespace() + "]",
            "nodeSelector: {" + RealNode.LABEL + ": \"true\"}",
            "tolerations: [{key: "
                + RealNode.LABEL
                + ", operator: Equal, value: \"true\","
                + " effect: NoSchedule}]",
            ""));
    helm(
        "install",
        RELEASE,
        Repository.root().resolve("charts/inference-operator").toString(),
        "--namespace",
        cluster.namespace(),
        "--values",
        values.toString(),
        "--wait",
        "--timeout",
        "150s");
    List<Pod> operators = operatorPods();
    assertThat(operators)
        .hasSize(2)
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(RealNode.NAME));
    String leader = awaitLeader(null);
    // The operator image as the kubelet runs it: numeric non-root user, read-only root, and
    // Ready only because its /readyz answered.
    for (Pod operator : operators) {
      assertThat(RealNode.processStatus(operator).get("Uid")).startsWith("10001\t");
      assertThat(RealNode.rootMountOptions(operator)).contains("ro");
    }

    RealNode.deployReady(cluster, "heart", 1, spec -> {});
    Traffic.Answer answer =
        Traffic.once(
            RealNode.clusterIp(cluster, "heart"),
            RealNode.servicePort(cluster, "heart"),
            "/predict",
            Traffic.PATIENT);
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);

    Instant deleted = Instant.now();
    cluster.client().pods().withName(leader).delete();
    String next = awaitLeader(leader);
    Figures.record(
        "in-cluster operator: leader pod deleted, "
            + next
            + " holds the Lease after "
            + Duration.between(deleted, Instant.now()).toMillis()
            + " ms");
    cluster.editSpec("heart", spec -> spec.setReplicas(2));
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(cluster.livePods("heart")).hasSize(2);
  }

  private List<Pod> operatorPods() {
    return cluster
        .client()
        .pods()
        .withLabel("app.kubernetes.io/instance", RELEASE)
        .withLabel("app.kubernetes.io/name", "inference-operator")
        .list()
        .getItems();
  }

  /** Waits until a pod other than {@code previous} holds the Lease; returns its name. */
  private String awaitLeader(String previous) {
    return await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              Lease lease = cluster.client().leases().withName(OperatorSettings.LEASE_NAME).get();

              if (lease == null || lease.getSpec().getHolderIdentity() == null) {
                return null;
              }
              String holder = lease.getSpec().getHolderIdentity();
              boolean live =
                  operatorPods().stream().anyMatch(p -> p.getMetadata().getName().equals(holder));
              return live && !holder.equals(previous) ? holder : null;
            },
            holder -> holder != null);
  }

  /** Runs the helm CLI built with the local cluster (hack/build-components.sh). */
  private static void helm(String... args) {
    List<String> command = new ArrayList<>(List.of(LocalCluster.binDir() + "/helm"));
    command.addAll(List.of(args));
    LocalCluster.Result result = LocalCluster.run(command, Duration.ofSeconds(200));
    assertThat(result.exitCode()).as("helm %s: %s", args[0], result.output()).isZero();
  }
}
