package dev.inferops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-cluster source against a local server standing in for a pod. */
class DirectPodMetricsSourceTest {

  private final LocalHttpServer pod = new LocalHttpServer();
  private final Pod target = TestPods.running("heart-canary-1", "127.0.0.1");

  @AfterEach
  void stop() {
    pod.close();
  }

  @Test
  void readsTheMetricsPathOfThePodIp() throws Exception {
    String metrics = MetricsTextParserTest.appMetrics();
    pod.answer(200, metrics);

    String text = new DirectPodMetricsSource().scrape(target, pod.port());

    assertThat(text).isEqualTo(metrics);
    assertThat(pod.paths).containsExactly("/metrics");
    assertThat(MetricsTextParser.parse(text).tally().requests()).isEqualTo(31);
  }

  @Test
  void anotherStatusIsAFailureAndARedirectIsNotFollowed() {
    pod.answer(500, "boom");
    assertThatThrownBy(() -> new DirectPodMetricsSource().scrape(target, pod.port()))
        .isInstanceOf(IOException.class)
        .hasMessage("HTTP 500");

    pod.answer(
        (exchange, closed) -> {
          exchange.getResponseHeaders().add("Location", "http://example.com/metrics");
          LocalHttpServer.reply(exchange, 302, "");
        });
    assertThatThrownBy(() -> new DirectPodMetricsSource().scrape(target, pod.port()))
        .hasMessage("HTTP 302");
    assertThat(pod.paths).containsExactly("/metrics", "/metrics");
  }

  @Test
  void aClosedPortSaysConnectionRefused() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int closedPort = port;
    assertThatThrownBy(() -> new DirectPodMetricsSource().scrape(target, closedPort))
        .isInstanceOf(IOException.class)
        .hasMessage("connection refused");
  }

  @Test
  void aPodThatDoesNotAnswerInTimeFails() {
    pod.answer((exchange, closed) -> closed.await());

    assertThatThrownBy(
            () -> new DirectPodMetricsSource(Duration.ofMillis(300)).scrape(target, pod.port()))
        .isInstanceOf(IOException.class)
        .hasMessage("no answer within 0.3 s");
  }

  @Test
  void anEndlessBodyIsCutAtTheLimit() {
    pod.answer((exchange, closed) -> LocalHttpServer.stream(exchange, 8));

    assertThatThrownBy(() -> new DirectPodMetricsSource().scrape(target, pod.port()))
        .isInstanceOf(IOException.class)
        .hasMessage("/metrics is larger than 4 MiB");
  }

  @Test
  void anIpv6PodAddressGoesInBrackets() {
    assertThat(DirectPodMetricsSource.uri(TestPods.running("p", "fd00::1:2"), 8000))
        .hasToString("http://[fd00::1:2]:8000/metrics");
    assertThat(DirectPodMetricsSource.uri(TestPods.running("p", "10.1.2.3"), 8000))
        .hasToString("http://10.1.2.3:8000/metrics");
  }
}
