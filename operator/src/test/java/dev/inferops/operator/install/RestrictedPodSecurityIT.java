package dev.inferops.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * InferenceService pods are admitted in a namespace that enforces the restricted Pod Security
 * Standard, as bare Pods and through a Deployment.
 */
class RestrictedPodSecurityIT {

  private static KubernetesClient client;
  private static InferenceOperator operator;
  private static String namespace;

  @BeforeAll
  static void setUp() {
    client = TestCluster.adminClient();
    TestCluster.applyCrd(client);
    namespace =
        TestCluster.createNamespace(
            client,
            "install-restricted",
            Map.of(
                "pod-security.kubernetes.io/enforce", "restricted",
                "pod-security.kubernetes.io/enforce-version", "latest"));
    operator =
        InferenceOperator.start(
            client,
            OperatorSettings.defaults()
                .withHttp("127.0.0.1", 0)
                .withWatchNamespaces(Set.of(namespace)));
  }

  @AfterAll
  static void tearDown() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      TestCluster.deleteNamespace(client, namespace);
      client.close();
    }
  }

  @Test
  void namespaceRejectsAPodWithoutTheRestrictedSecurityContext() {
    // Shows that admission really enforces the level, so the admissions below mean something.
    Pod plain =
        new PodBuilder()
            .withNewMetadata()
            .withName("plain")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("inferops/inference-app:0.1.0")
            .endContainer()
            .endSpec()
            .build();
    assertThatThrownBy(() -> client.pods().inNamespace(namespace).resource(plain).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains("violates PodSecurity \"restricted:latest\"");
            });
  }

  @Test
  void bareInferenceServicePodsAreAdmittedAndReady() {
    assertAdmittedAndReady("bare", "Pod", 2);
  }

  @Test
  void deploymentInferenceServicePodsAreAdmittedAndReady() {
    assertAdmittedAndReady("rolled", "Deployment", 2);
  }

  private static void assertAdmittedAndReady(String name, String workload, int replicas) {
    InferenceServices.apply(client, namespace, name, workload, replicas);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              assertThat(InferenceServices.readyPods(client, namespace, name))
                  .as("ready pods of %s", name)
                  .hasSize(replicas);
              assertThat(InferenceServices.converged(client, namespace, name, replicas))
                  .as("%s: %s", name, InferenceServices.describeStatus(client, namespace, name))
                  .isTrue();
            });
    assertThat(InferenceServices.pods(client, namespace, name))
        .allSatisfy(
            pod -> {
              assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("RuntimeDefault");
            });
  }
}
