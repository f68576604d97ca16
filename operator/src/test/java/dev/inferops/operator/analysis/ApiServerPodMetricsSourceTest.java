package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The out-of-cluster source: the proxy path it builds, and its handling of answers, against a local
 * server standing in for the API server (a real one would need a cluster).
 */
class ApiServerPodMetricsSourceTest {

  private static final String PATH =
      "/api/v1/namespaces/shop/pods/heart-canary-1:8000/proxy/metrics";

  private final Pod target = TestPods.running("heart-canary-1", "10.0.0.1");
  private final LocalHttpServer apiServer = new LocalHttpServer();
  // The client's default retries stay on: the source must turn them off itself.
  private final KubernetesClient client =
      new KubernetesClientBuilder()
          .withConfig(
              new ConfigBuilder()
                  .withMasterUrl("http://127.0.0.1:" + apiServer.port() + "/")
                  .withNamespace("shop")
                  .build())
          .build();

  @AfterEach
  void stop() {
    client.close();
    apiServer.close();
  }

  @Test
  void theProxyPathNamesNamespacePodAndPort() {
    assertThat(ApiServerPodMetricsSource.proxyPath(target, 8000)).isEqualTo(PATH);
  }

  @Test
  void readsThePodsMetricsThroughTheProxyPath() throws Exception {
    String metrics = MetricsTextParserTest.appMetrics();
    apiServer.answer(200, metrics);

    String text = new ApiServerPodMetricsSource(client).scrape(target, 8000);

    assertThat(text).isEqualTo(metrics);
    assertThat(apiServer.paths).containsExactly(PATH);
  }

  @Test
  void aRefusalCarriesTheApiServersReason() {
    apiServer.answer(
        403,
        """
        {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"Forbidden","code":403,\
        "message":"pods \\"heart-canary-1\\" is forbidden: User \\"dev\\" cannot get resource \\"pods/proxy\\" in API group \\"\\" in the namespace \\"shop\\""}
        """);

    assertThatThrownBy(() -> new ApiServerPodMetricsSource(client).scrape(target, 8000))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "HTTP 403 through the API server's pod proxy: pods \"heart-canary-1\" is forbidden:"
                + " User \"dev\" cannot get resource \"pods/proxy\" in API group \"\" in the"
                + " namespace \"shop\"");
  }

  @Test
  void anUnreachablePodIsAskedForOnceNotRetried() {
    apiServer.answer(
        503,
        "{\"kind\":\"Status\",\"code\":503,\"message\":\"error trying to reach service: dial tcp"
            + " 10.0.0.1:8000: connect: connection refused\"}");

    assertThatThrownBy(() -> new ApiServerPodMetricsSource(client).scrape(target, 8000))
        .hasMessage(
            "HTTP 503 through the API server's pod proxy: error trying to reach service:"
                + " dial tcp 10.0.0.1:8000: connect: connection refused");
    assertThat(apiServer.paths).containsExactly(PATH);
  }

  @Test
  void aPodsOwnErrorPageIsReportedByStatusOnly() {
    apiServer.answer(500, "<html>oops</html>");

    assertThatThrownBy(() -> new ApiServerPodMetricsSource(client).scrape(target, 8000))
        .hasMessage("HTTP 500 through the API server's pod proxy");
  }

  @Test
  void anEndlessBodyIsCutAtTheLimit() {
    apiServer.answer((exchange, closed) -> LocalHttpServer.stream(exchange, 8));

    assertThatThrownBy(() -> new ApiServerPodMetricsSource(client).scrape(target, 8000))
        .isInstanceOf(IOException.class)
        .hasMessage("/metrics is larger than 4 MiB");
  }

  @Test
  void anApiServerThatDoesNotAnswerInTimeFails() {
    apiServer.answer((exchange, closed) -> closed.await());

    assertThatThrownBy(
            () ->
                new ApiServerPodMetricsSource(client, java.time.Duration.ofMillis(300))
                    .scrape(target, 8000))
        .isInstanceOf(IOException.class)
        .hasMessage("no answer within 0.3 s");
  }
}
