package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The scale subresource: kubectl scale and anything speaking the scale API (e.g. an HPA). */
class ScaleIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void scalesThroughTheScaleSubresource() throws Exception {
    cluster.create(cluster.newInferenceService("heart", 2, spec -> {}));
    cluster.awaitPhase("heart", Phase.Ready);

    Scale scale = cluster.inferenceService("heart").scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(2);
    assertThat(scale.getStatus().getSelector()).contains("app.kubernetes.io/instance=heart");

    kubectl("scale", "infsvc/heart", "--replicas=4", "-n", cluster.namespace());
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.livePods("heart")).hasSize(4));
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(cluster.inferenceService("heart").get().getSpec().getReplicas()).isEqualTo(4);
    assertThat(cluster.inferenceService("heart").scale().getStatus().getReplicas()).isEqualTo(4);

    cluster.inferenceService("heart").scale(1);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.livePods("heart")).hasSize(1));
    cluster.awaitPhase("heart", Phase.Ready);
  }

  /**
   * The HPA controller reads and writes replicas through the scale subresource. Without a metrics
   * server it cannot compute a utilization, but it still enforces minReplicas, which it does before
   * looking at any metric.
   */
  @Test
  void horizontalPodAutoscalerScalesUpToItsMinimum() {
    cluster.create(cluster.newInferenceService("heart", 1, spec -> {}));
    cluster.awaitPhase("heart", Phase.Ready);

    cluster
        .client()
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("heart")
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion(InferenceServiceConstants.API_VERSION)
                .withKind(InferenceServiceConstants.KIND)
                .withName("heart")
                .endScaleTargetRef()
                .withMinReplicas(3)
                .withMaxReplicas(5)
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(80)
                .endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build())
        .create();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              HorizontalPodAutoscaler hpa =
                  cluster
                      .client()
                      .autoscaling()
                      .v2()
                      .horizontalPodAutoscalers()
                      .withName("heart")
                      .get();
              assertThat(hpa.getStatus()).isNotNull();
              assertThat(hpa.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("AbleToScale");
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("SucceededGetScale");
                      });
            });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.inferenceService("heart").get().getSpec().getReplicas())
                    .isEqualTo(3));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(cluster.livePods("heart")).hasSize(3));
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(cluster.inferenceService("heart").scale().getStatus().getReplicas()).isEqualTo(3);
  }

  /** Runs kubectl against the cluster of KUBECONFIG and fails on a non-zero exit. */
  static String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    LocalCluster.Result result = LocalCluster.run(command, Duration.ofSeconds(60));
    assertThat(result.exitCode())
        .as("kubectl %s: %s", String.join(" ", args), result.output())
        .isZero();
    return result.output();
  }
}
