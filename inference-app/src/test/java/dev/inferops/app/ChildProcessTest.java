package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.app.model.onnx.Oracle;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs the app as a real process: exit codes and signals cannot be tested in-process. */
class ChildProcessTest {
  private static final Pattern LISTENING = Pattern.compile("listening on [^ ]+:(\\d+) ");

  @TempDir Path dir;
  private Process process;
  private String description;

  private Path logFile;

  private Process launch(Map<String, String> env, String... args) throws IOException {
    logFile = dir.resolve("app.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                java,
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                InferenceApp.class.getName()));
    command.addAll(List.of(args));
    // A file, not a pipe: Process.destroy() closes our end of a pipe, losing the shutdown log, and
    // a pipe nobody drains blocks the app once full.
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    pb.environment().put("PORT", "0");
    pb.environment().put("BIND_ADDRESS", "127.0.0.1");
    pb.environment().putAll(env);
    // The class path would drown the failure message.
    description =
        String.join(" ", command).replace(System.getProperty("java.class.path"), "<class path>");
    process = pb.start();
    return process;
  }

  private int awaitPort() {
    int[] port = new int[1];
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              for (String line : output()) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                  port[0] = Integer.parseInt(m.group(1));
                  return true;
                }
              }
              return !process.isAlive();
            });
    assertThat(port[0]).as(log()).isPositive();
    return port[0];
  }

  private int awaitExit(Duration timeout) throws InterruptedException {
    return Processes.awaitExit(process, description, timeout, this::log);
  }

  private List<String> output() throws IOException {
    return Files.exists(logFile) ? Files.readAllLines(logFile, StandardCharsets.UTF_8) : List.of();
  }

  private String log() {
    try {
      return String.join("\n", output());
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  @AfterEach
  void kill() throws InterruptedException {
    // Only the process this test started.
    if (process != null && process.isAlive()) {
      Processes.kill(process);
    }
  }

  @Test
  void sigtermFinishesAndExitsZero() throws Exception {
    launch(Map.of("SHUTDOWN_DRAIN_SECONDS", "0"));
    int port = awaitPort();
    TestClient client = new TestClient(port);
    assertThat(client.post("/predict", Fixtures.patient().toString()).statusCode()).isEqualTo(200);

    process.destroy(); // SIGTERM
    assertThat(awaitExit(Duration.ofSeconds(15))).as(log()).isZero();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(log())
                    .contains(
                        "CRASH_MODE=unhealthy",
                        "ready: serving predictions",
                        "shutting down",
                        "stopped"));
  }

  @Test
  void sigtermDrainsServingNewRequestsWhileNotReadyThenExitsZero() throws Exception {
    // Long enough for the checks below on a loaded machine: all of them must land in the drain.
    Duration drain = Duration.ofSeconds(8);
    launch(
        Map.of(
            "SHUTDOWN_DRAIN_SECONDS", String.valueOf(drain.toSeconds()), "APP_VERSION", "7.7.7"));
    int port = awaitPort();
    TestClient client = new TestClient(port);
    HttpResponse<String> before = client.get("/ready");
    assertThat(before.statusCode()).isEqualTo(200);
    assertThat(before.headers().firstValue("X-App-Version")).hasValue("7.7.7");

    long sigterm = System.nanoTime();
    process.destroy(); // SIGTERM
    await()
        .atMost(drain)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.get("/ready").statusCode() == 503);
    HttpResponse<String> during = client.post("/predict", Fixtures.patient().toString());
    assertThat(during.statusCode()).isEqualTo(200);
    assertThat(TestClient.json(during).get("app_version").asText()).isEqualTo("7.7.7");
    assertThat(process.isAlive()).isTrue();

    assertThat(awaitExit(drain.plusSeconds(20))).as(log()).isZero();
    long exited = System.nanoTime();
    // The drain began after the SIGTERM, so whatever the load, the exit cannot come sooner.
    assertThat(Duration.ofNanos(exited - sigterm)).as(log()).isGreaterThanOrEqualTo(drain);
    assertThat(log()).contains("SHUTDOWN_DRAIN_SECONDS", "stopped");
  }

  @Test
  void crashModeExitExitsWithStatus1() throws Exception {
    launch(Map.of("CRASH_AFTER_SECONDS", "1", "CRASH_MODE", "exit"));
    assertThat(awaitExit(Duration.ofSeconds(30))).as(log()).isEqualTo(1);
    assertThat(log()).contains("CRASH_MODE=exit): exiting with status 1");
  }

  @Test
  void invalidKnobExitsWith2AndNoStackTrace() throws Exception {
    launch(Map.of("CRASH_MODE", "sometimes"));
    assertThat(awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(log())
        .contains("CRASH_MODE must be 'unhealthy' or 'exit', got 'sometimes'")
        .doesNotContain("Exception", "\tat ");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "FAULT_INJECTION_ERROR_FRACTION | 1.5 | FAULT_INJECTION_ERROR_FRACTION must be a number"
            + " between 0 and 1 with at most 9 decimals, got '1.5'",
        "FAULT_INJECTION_DELAY_MILLIS | 2s | FAULT_INJECTION_DELAY_MILLIS must be a whole number"
            + " between 0 and 60000, got '2s'",
      })
  void anInvalidFaultSettingExitsWith2NamingTheAllowedRange(String key, String value, String line)
      throws Exception {
    launch(Map.of(key, value));
    assertThat(awaitExit(Duration.ofSeconds(30))).isEqualTo(2);
    assertThat(log().lines()).containsExactly("inference-app: invalid setting: " + line);
  }

  @Test
  void faultInjectionIsAnnouncedByOneWarningAtStart() throws Exception {
    launch(Map.of("FAULT_INJECTION_ERROR_FRACTION", "0.1", "FAULT_INJECTION_DELAY_MILLIS", "50"));
    awaitPort();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(log().lines().filter(l -> l.contains("[WARN]")))
                    .singleElement()
                    .asString()
                    .contains(
                        "injecting faults for testing, never set in production:"
                            + " FAULT_INJECTION_ERROR_FRACTION=0.1",
                        "FAULT_INJECTION_DELAY_MILLIS=50"));
  }

  @Test
  void noFaultsNoWarning() throws Exception {
    launch(Map.of());
    TestClient client = new TestClient(awaitPort());
    // Ready comes after the warning would have been logged.
    assertThat(client.get("/ready").statusCode()).isEqualTo(200);
    assertThat(log())
        .contains("FAULT_INJECTION_ERROR_FRACTION=0 FAULT_INJECTION_DELAY_MILLIS=0")
        .doesNotContain("injecting faults");
  }

  @Test
  void badModelFileExitsWith1AndAClearMessage() throws Exception {
    Path model = Fixtures.write(dir, "model.json", "{\"name\": \"x\"}");
    launch(Map.of("MODEL_PATH", model.toString()));
    assertThat(awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
    assertThat(log()).contains("cannot load model", "'version' is missing").doesNotContain("\tat ");
  }

  @Test
  void anOnnxModelExportedWithZipmapExitsWith1AndTheFixOnItsLastLine() throws Exception {
    Path model = Oracle.file("hostile/zipmap.onnx");
    launch(Map.of("MODEL_PATH", model.toString(), "ORT_DISABLE_TELEMETRY", "1"));
    assertThat(awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
    // The kubelet's termination message is the log's tail: the cause must be its last line.
    List<String> lines = log().lines().toList();
    assertThat(lines.get(lines.size() - 1))
        .contains("cannot load model: ONNX model " + model)
        .contains("export classifiers with zipmap=False");
    assertThat(log()).doesNotContain("\tat ", "Exception");
  }

  @Test
  void helpPrintsUsage() throws Exception {
    launch(Map.of(), "--help");
    assertThat(awaitExit(Duration.ofSeconds(30))).isZero();
    assertThat(log()).contains("Usage:", "train --data", "START_DELAY_SECONDS");
  }
}
