package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The scale subresource: kubectl scale and anything speaking the scale API (e.g. an HPA). */
class ScaleIT extends ClusterSupport {

  @Test
  void scalesThroughTheScaleSubresource() throws Exception {
    create(newInferenceService("heart", 2, spec -> {}));
    awaitPhase("heart", Phase.Ready);

    Scale scale = inferenceService("heart").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=heart");

    kubectl("scale", "infsvc/heart", "--replicas=4", "-n", namespace);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(livePods("heart")).hasSize(4));
    awaitPhase("heart", Phase.Ready);
    assertThat(inferenceService("heart").get().getSpec().getReplicas()).isEqualTo(4);
    assertThat(inferenceService("heart").scale().getStatus().getReplicas()).isEqualTo(4);

    inferenceService("heart").scale(1);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(livePods("heart")).hasSize(1));
    awaitPhase("heart", Phase.Ready);
  }

  /** Runs kubectl against the cluster of KUBECONFIG and fails on a non-zero exit. */
  static String kubectl(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 1];
    command[0] = "kubectl";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl %s: %s", String.join(" ", args), output).isZero();
    return output;
  }
}
