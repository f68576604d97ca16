package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real /metrics output through Prometheus' own linter. */
class PromtoolTest {
  private static final Duration PROMTOOL_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static Path promtool() {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, "promtool");
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
    String metrics;
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
      metrics = client.get("/metrics").body();
    } finally {
      server.stop(Duration.ZERO);
    }
    assertThat(metrics).contains("http_server_requests_seconds_bucket", "jvm_memory_used_bytes");

    // Files both ways, no pipes: nothing here can block on promtool, so the timeout always fires.
    Path input = Files.writeString(dir.resolve("metrics.txt"), metrics);
    Path output = dir.resolve("promtool.out");
    List<String> command = List.of(promtool.toString(), "check", "metrics");
    Process p =
        new ProcessBuilder(command)
            .redirectInput(input.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    int status =
        Processes.awaitExit(
            p, String.join(" ", command) + " < metrics", PROMTOOL_TIMEOUT, () -> read(output));
    String out = read(output);
    assertThat(status).as(out).isZero();
    assertThat(out.trim()).isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
