package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.onnx.OnnxModel;
import dev.inferops.app.model.onnx.Oracle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shadow traffic between two real servers on 127.0.0.1: the live one copies its answered
 * predictions to the target its settings file names and counts how the answers compare, and its
 * clients never wait for the target.
 */
class ShadowTrafficHttpTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final Duration FAST = Duration.ofSeconds(1);

  @TempDir Path dir;
  private final List<InferenceServer> servers = new ArrayList<>();
  private int generation;

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(Duration.ZERO));
  }

  private InferenceServer start(Map<String, String> env, Model model) throws Exception {
    InferenceServer server = Fixtures.startServer(env, model);
    servers.add(server);
    return server;
  }

  private static Model onnx(String name) {
    return OnnxModel.load(Oracle.of(name).file(), 512);
  }

  /** A live server whose settings file sits where a ConfigMap volume puts it. */
  private InferenceServer live(Model model, Map<String, String> extra) throws Exception {
    Map<String, String> env = new HashMap<>(extra);
    env.put("SHADOW_CONFIG_FILE", dir.resolve("shadow.json").toString());
    return start(env, model);
  }

  /**
   * Writes the settings file as the kubelet updates a ConfigMap volume: a new directory, then the
   * {@code ..data} symlink swapped to it in one rename; {@code shadow.json} links through it.
   */
  private void writeSettings(String content) throws Exception {
    Path data = Files.createDirectory(dir.resolve("..gen" + generation++));
    Files.writeString(data.resolve("shadow.json"), content);
    Path tmp = dir.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, dir.relativize(data));
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    Path file = dir.resolve("shadow.json");
    if (!Files.isSymbolicLink(file)) {
      Files.createSymbolicLink(file, Path.of("..data", "shadow.json"));
    }
  }

  private static String settings(int port, double rate, double tolerance) {
    return "{\"target\": \"http://127.0.0.1:"
        + port
        + "\", \"sampleRate\": "
        + rate
        + ", \"probabilityTolerance\": "
        + tolerance
        + "}";
  }

  private static double metric(InferenceServer server, String series) {
    return FaultInjectionHttpTest.sample(
        new TestClient(server.port()).get("/metrics").body(), series);
  }

  private static double shadow(InferenceServer server, String name) {
    return metric(server, "inference_shadow_" + name);
  }

  private static String row(double[] row) {
    return OnnxHttpTest.instances(new double[][] {row});
  }

  /** Posts and checks the answer is 200 and came back within {@link #FAST}. */
  private static void predictQuickly(TestClient client, String path, String body) {
    long t0 = System.nanoTime();
    HttpResponse<String> r = client.post(path, body);
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(took).as("client latency with the shadow on").isLessThan(FAST);
  }

  @Test
  void withoutTheFileNothingIsCopiedAndTheGaugesSaySo() throws Exception {
    InferenceServer server = live(onnx("heart-forest"), Map.of());
    TestClient client = new TestClient(server.port());
    for (int i = 0; i < 5; i++) {
      predictQuickly(client, "/predict", row(Oracle.of("heart-forest").inputs()[i]));
    }
    assertThat(shadow(server, "enabled")).isZero();
    assertThat(shadow(server, "config_valid")).isEqualTo(1);
    assertThat(shadow(server, "copied_total")).isZero();
    assertThat(server.shadow().mostQueued()).isZero();
  }

  @Test
  void theSameModelAgreesOnEveryCopyOverBothJsonProtocols() throws Exception {
    Oracle oracle = Oracle.of("heart-forest");
    InferenceServer target = start(Map.of(), onnx("heart-forest"));
    writeSettings(settings(target.port(), 1.0, 1e-6));
    InferenceServer server = live(onnx("heart-forest"), Map.of());
    assertThat(shadow(server, "enabled")).isEqualTo(1);
    TestClient client = new TestClient(server.port());
    for (int i = 0; i < 200; i++) {
      String path = i % 2 == 0 ? "/predict" : "/v1/models/heart-forest:predict";
      predictQuickly(client, path, row(oracle.inputs()[i]));
    }
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "compared_total") >= 200);
    assertThat(shadow(server, "copied_total")).isEqualTo(200);
    assertThat(shadow(server, "compared_total")).isEqualTo(200);
    assertThat(shadow(server, "agreed_total")).isEqualTo(200);
    assertThat(shadow(server, "disagreed_total")).isZero();
    assertThat(shadow(server, "failed_total")).isZero();
    assertThat(shadow(server, "dropped_total")).isZero();
    assertThat(shadow(server, "target_duration_seconds_count")).isEqualTo(200);
    // The copies reached the target on the paths the clients used.
    assertThat(
            metric(target, "http_server_requests_seconds_count{route=\"/predict\",status=\"200\"}"))
        .isEqualTo(100);
    assertThat(
            metric(
                target,
                "http_server_requests_seconds_count{route=\"/v1/models/{name}:predict\","
                    + "status=\"200\"}"))
        .isEqualTo(100);
  }

  /**
   * A random forest live and gradient-boosted trees as the preview: the agreement count is exactly
   * what comparing the two frameworks' own answers on the same rows gives.
   */
  @Test
  void anotherModelAgreesExactlyWhereTheFrameworksAnswersDo() throws Exception {
    // Where 151 of the first 200 rows agree, and no row is within 1e-4 of the edge.
    double tolerance = 0.08;
    Oracle live = Oracle.of("heart-forest");
    Oracle preview = Oracle.of("heart-gbt");
    int n = 200;
    int expected = 0;
    for (int row = 0; row < n; row++) {
      boolean agree = live.labels()[row] == preview.labels()[row];
      for (int c = 0; c < 2; c++) {
        double d = Math.abs(live.probabilities()[row][c] - preview.probabilities()[row][c]);
        // The server's float answers match the oracles to 1e-5: no row may sit on the edge.
        assertThat(Math.abs(d - tolerance))
            .as("row %d near the tolerance", row)
            .isGreaterThan(1e-4);
        agree &= d <= tolerance;
      }
      expected += agree ? 1 : 0;
    }
    assertThat(expected).as("a comparison that tells something").isBetween(1, n - 1);

    InferenceServer target = start(Map.of(), onnx("heart-gbt"));
    writeSettings(settings(target.port(), 1.0, tolerance));
    InferenceServer server = live(onnx("heart-forest"), Map.of());
    TestClient client = new TestClient(server.port());
    for (int row = 0; row < n; row++) {
      predictQuickly(client, "/predict", row(live.inputs()[row]));
    }
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "compared_total") >= n);
    assertThat(shadow(server, "compared_total")).isEqualTo(n);
    assertThat(shadow(server, "agreed_total")).isEqualTo(expected);
    assertThat(shadow(server, "disagreed_total")).isEqualTo(n - expected);
    assertThat(server.shadow().lastDisagreement())
        .startsWith("/predict: row 0: live {\"label\":")
        .doesNotContain("instances");
  }

  @Test
  void aDeadTargetCostsTheClientsNothingAndCountsAsFailed() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort();
    }
    writeSettings(settings(dead, 1.0, 1e-6));
    InferenceServer server = live(onnx("heart-forest"), Map.of());
    TestClient client = new TestClient(server.port());
    double[][] inputs = Oracle.of("heart-forest").inputs();
    for (int i = 0; i < 50; i++) {
      predictQuickly(client, "/predict", row(inputs[i]));
    }
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "failed_total") >= 50);
    assertThat(shadow(server, "copied_total")).isEqualTo(50);
    assertThat(shadow(server, "failed_total")).isEqualTo(50);
    assertThat(shadow(server, "compared_total")).isZero();
  }

  /**
   * The target answers 3 s late, past the copies' 2 s timeout; four clients at once fill a queue of
   * four, and the rest of the copies are dropped, while every client is answered within a second.
   */
  @Test
  void aSlowTargetUnderLoadDropsCopiesNeverClientTime() throws Exception {
    InferenceServer target =
        start(Map.of("FAULT_INJECTION_DELAY_MILLIS", "3000"), onnx("heart-forest"));
    writeSettings(settings(target.port(), 1.0, 1e-6));
    InferenceServer server = live(onnx("heart-forest"), Map.of("SHADOW_QUEUE_CAPACITY", "4"));
    double[][] inputs = Oracle.of("heart-forest").inputs();
    int clients = 4;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        done.add(
            CompletableFuture.runAsync(
                () -> {
                  TestClient client = new TestClient(server.port());
                  for (int i = 0; i < each; i++) {
                    predictQuickly(client, "/predict", row(inputs[i]));
                  }
                },
                pool));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    int total = clients * each;
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                shadow(server, "dropped_total") + shadow(server, "failed_total") >= total
                    && shadow(server, "failed_total") == shadow(server, "copied_total"));
    assertThat(shadow(server, "dropped_total")).isPositive();
    assertThat(shadow(server, "copied_total") + shadow(server, "dropped_total")).isEqualTo(total);
    assertThat(shadow(server, "compared_total")).isZero();
    assertThat(server.shadow().mostQueued()).isBetween(1, 4);
  }

  /**
   * A new setting is a new preview, even at the same ClusterIP: copies must not ride connections
   * kept alive to the previous preview's pods, which keep serving while they drain.
   */
  @Test
  void copiesAfterASettingsChangeTakeNewConnections() throws Exception {
    List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    HttpServer target =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext(
        "/",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
          // Kept alive by this server: only the live pod can choose a new connection.
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    target.start();
    try {
      InferenceServer server = live(onnx("heart-forest"), Map.of());
      TestClient client = new TestClient(server.port());
      double[][] inputs = Oracle.of("heart-forest").inputs();
      int port = target.getAddress().getPort();

      writeSettings(settings(port, 1.0, 1e-6));
      await().atMost(AWAIT).until(() -> shadow(server, "enabled") == 1);
      for (int i = 0; i < 6; i++) {
        predictQuickly(client, "/predict", row(inputs[i]));
      }
      await().atMost(AWAIT).until(() -> clientPorts.size() == 6);
      List<Integer> before = List.copyOf(clientPorts);

      // The rollout ends and the next one starts: off, then on again with the same target.
      writeSettings("");
      await().atMost(AWAIT).until(() -> shadow(server, "enabled") == 0);
      writeSettings(settings(port, 1.0, 1e-6));
      await().atMost(AWAIT).until(() -> shadow(server, "enabled") == 1);
      for (int i = 0; i < 6; i++) {
        predictQuickly(client, "/predict", row(inputs[i]));
      }
      await().atMost(AWAIT).until(() -> clientPorts.size() == 12);

      assertThat(clientPorts.subList(6, 12)).doesNotContainAnyElementsOf(before);
    } finally {
      target.stop(0);
    }
  }

  @Test
  void theFileTurnsTheShadowOnAndOffWithoutARestart() throws Exception {
    InferenceServer target = start(Map.of(), onnx("heart-forest"));
    InferenceServer server = live(onnx("heart-forest"), Map.of());
    TestClient client = new TestClient(server.port());
    double[][] inputs = Oracle.of("heart-forest").inputs();
    for (int i = 0; i < 5; i++) {
      predictQuickly(client, "/predict", row(inputs[i]));
    }

    writeSettings(settings(target.port(), 1.0, 1e-6));
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "enabled") == 1);
    for (int i = 0; i < 10; i++) {
      predictQuickly(client, "/predict", row(inputs[i]));
    }
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "agreed_total") >= 10);

    // A ConfigMap emptied of its settings: off, and these ten are not copied.
    writeSettings("");
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "enabled") == 0);
    for (int i = 0; i < 10; i++) {
      predictQuickly(client, "/predict", row(inputs[i]));
    }

    // On again at half the rate: 3 of these 6 are copied, after any of the ten had they been.
    writeSettings(settings(target.port(), 0.5, 1e-6));
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "enabled") == 1);
    for (int i = 0; i < 6; i++) {
      predictQuickly(client, "/predict", row(inputs[i]));
    }
    await()
        .atMost(AWAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> shadow(server, "compared_total") >= 13);
    assertThat(shadow(server, "copied_total")).isEqualTo(13);
    assertThat(shadow(server, "agreed_total")).isEqualTo(13);
    assertThat(server.lifecycle().isReady()).isTrue();
  }

  @Test
  void anInvalidFileIsOffWithOneWarningAndTheAppKeepsServing() throws Exception {
    InferenceServer target = start(Map.of(), onnx("heart-forest"));
    writeSettings(settings(target.port(), 1.0, 1e-6));
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    InferenceServer server;
    // slf4j-simple writes to whatever System.err is at the time of each line.
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      server = live(onnx("heart-forest"), Map.of());
      TestClient client = new TestClient(server.port());
      Map<String, String> invalid =
          Map.of(
              "{\"target\": ",
              "not JSON: ",
              "{\"target\": \"http://127.0.0.1:1\", \"sampleRate\": 2}",
              "sampleRate must be a number from 0 to 1, got 2",
              "{\"target\": \"ftp://127.0.0.1:1\", \"sampleRate\": 1}",
              "target must be an absolute http:// URL");
      for (Map.Entry<String, String> e : invalid.entrySet()) {
        writeSettings(settings(target.port(), 1.0, 1e-6));
        await()
            .atMost(AWAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> shadow(server, "enabled") == 1);
        writeSettings(e.getKey());
        await()
            .atMost(AWAIT)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> shadow(server, "config_valid") == 0);
        assertThat(shadow(server, "enabled")).isZero();
        predictQuickly(client, "/predict", row(Oracle.of("heart-forest").inputs()[0]));
        String warnings =
            captured
                .toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("WARN"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(warnings)
            .contains(
                "shadow settings file "
                    + dir.resolve("shadow.json")
                    + " is invalid, shadow off: "
                    + e.getValue());
      }
    } finally {
      System.setErr(err);
    }
    // Each invalid file once, however many times it was read.
    assertThat(
            captured
                .toString(StandardCharsets.UTF_8)
                .lines()
                .filter(l -> l.contains("WARN") && l.contains("shadow settings file")))
        .hasSize(3);
    assertThat(shadow(server, "copied_total")).isZero();
  }
}
