package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.abort;

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

  private static Path onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** The effective user id, as `id -u` prints it: the one apt-get's permission checks use. */
  private static long effectiveUid() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          // Real, effective, saved set and filesystem ids.
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        }
      }
    }
    return new com.sun.security.auth.module.UnixSystem().getUid();
  }

  /**
   * promtool itself, or the test fails where it could have been installed (root with apt-get, as on
   * CI and the developers' machines: a skip there would hide a broken install step) and skips with
   * the reason elsewhere.
   */
  private static Path promtoolOrSkip() throws IOException {
    Path promtool = onPath("promtool");
    if (promtool != null) {
      return promtool;
    }
    boolean aptGet = onPath("apt-get") != null;
    boolean root = effectiveUid() == 0;
    if (aptGet && root) {
      fail(
          "promtool is missing on a machine that can install it: run `make test` (it installs"
              + " Debian's prometheus package) or `apt-get install -y prometheus`");
    }
    return abort(
        "promtool is not on PATH and cannot be installed here ("
            + (aptGet ? "not root" : "no apt-get")
            + "); `apt-get install -y prometheus` as root brings it");
  }

  @Test
  void metricsPassPromtoolCheckMetrics() throws Exception {
    Path promtool = promtoolOrSkip();
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
