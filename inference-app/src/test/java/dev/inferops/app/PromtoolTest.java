package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real /metrics output through Prometheus' own linter. */
class PromtoolTest {
  private static Path promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @Test
  void metricsPassPromtoolCheckMetrics() throws Exception {
    Path promtool = promtool();
    assumeTrue(
        promtool != null,
        "promtool is not on PATH; install it with 'apt-get install -y prometheus' (.ci/run does)");
    InferenceServer server = Fixtures.startServer(Map.of());
    try {
      TestClient client = new TestClient(server.port());
      // Every kind of series: request timers by route and status, predictions by label.
      client.post("/predict", Fixtures.patient().toString());
      client.post("/predict", "{");
      client.get("/nope");
      client.post("/v2/models/heart/infer", V2ProtocolTest.request("FP64", 1, false).toString());
      // The JVM meters are bound on a background thread just after start.
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> client.get("/metrics").body().contains("process_cpu_seconds_total"));
      String metrics = client.get("/metrics").body();
      assertThat(metrics).contains("http_server_requests_seconds_bucket", "jvm_memory_used_bytes");

      Process p =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectErrorStream(true)
              .start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(metrics.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out.trim()).isEmpty();
    } finally {
      server.stop(Duration.ZERO);
    }
  }
}
