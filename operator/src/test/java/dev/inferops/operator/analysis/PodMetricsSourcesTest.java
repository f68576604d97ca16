package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferops.operator.analysis.PodMetricsSources.Mode;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which source CANARY_METRICS_READS and the environment choose. */
class PodMetricsSourcesTest {

  private static final String IN_CLUSTER = "KUBERNETES_SERVICE_HOST";

  @Test
  void autoReadsDirectlyInsideAClusterAndThroughTheApiServerOutside() {
    assertThat(PodMetricsSources.mode(Map.of(IN_CLUSTER, "10.96.0.1"))).isEqualTo(Mode.DIRECT);
    assertThat(PodMetricsSources.mode(Map.of())).isEqualTo(Mode.APISERVER);
    assertThat(PodMetricsSources.mode(Map.of(IN_CLUSTER, " "))).isEqualTo(Mode.APISERVER);
    assertThat(PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", " Auto ", IN_CLUSTER, "x")))
        .isEqualTo(Mode.DIRECT);
    assertThat(PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", "")))
        .isEqualTo(Mode.APISERVER);
  }

  @Test
  void anExplicitChoiceWinsOverWhereTheOperatorRuns() {
    assertThat(PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", "apiserver", IN_CLUSTER, "x")))
        .isEqualTo(Mode.APISERVER);
    assertThat(PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", "direct")))
        .isEqualTo(Mode.DIRECT);
    assertThat(PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", "never", IN_CLUSTER, "x")))
        .isEqualTo(Mode.NEVER);
  }

  @Test
  void anUnknownValueIsRefusedAtStartup() {
    assertThatThrownBy(() -> PodMetricsSources.mode(Map.of("CANARY_METRICS_READS", "proxy")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CANARY_METRICS_READS must be direct, apiserver, never or auto, not 'proxy'");
  }

  @Test
  void theChosenModeGivesItsSource() {
    // Never contacted: building the sources sends nothing.
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:1").build())
            .build()) {
      assertThat(PodMetricsSources.fromEnvironment(Map.of(IN_CLUSTER, "10.96.0.1"), client))
          .isInstanceOf(DirectPodMetricsSource.class);
      assertThat(PodMetricsSources.fromEnvironment(Map.of(), client))
          .isInstanceOf(ApiServerPodMetricsSource.class);
    }
  }
}
