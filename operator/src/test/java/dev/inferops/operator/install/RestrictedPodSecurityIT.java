package dev.inferops.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * InferenceService pods are admitted in a namespace that enforces the restricted Pod Security
 * Standard, as bare Pods and through a Deployment.
 */
class RestrictedPodSecurityIT {

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator()
          .namespacePerClass()
          .namespaceLabels(
              Map.of(
                  "pod-security.kubernetes.io/enforce", "restricted",
                  "pod-security.kubernetes.io/enforce-version", "latest"))
          .build();

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
    assertThatThrownBy(() -> cluster.client().pods().resource(plain).create())
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
    ChartRenderer.inferenceService(cluster.namespace(), name, workload, replicas)
        .forEach(cluster::apply);
    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              cluster.assertConverged(name, replicas);
            });
    assertThat(cluster.livePods(name))
        .allSatisfy(
            pod -> {
              assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(pod.getSpec().getSecurityContext().getSeccompProfile().getType())
                  .isEqualTo("RuntimeDefault");
            });
  }
}
