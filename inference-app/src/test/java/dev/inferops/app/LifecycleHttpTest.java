package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.app.model.LogisticRegressionModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifecycleHttpTest {
  private InferenceServer server;
  private final AtomicInteger exitCalls = new AtomicInteger();

  private TestClient start(Map<String, String> env) throws Exception {
    server =
        InferenceServer.start(
            Fixtures.settings(env),
            LogisticRegressionModel.loadBundled(),
            status -> exitCalls.incrementAndGet());
    return new TestClient(server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  @Test
  void startDelayAnswers503UntilItElapsesWhileLivenessStaysUp() throws Exception {
    // Long enough for the dozen requests below, the first of them cold, on a loaded machine: all
    // of them must land in the delay.
    Duration delay = Duration.ofSeconds(6);
    long started = System.nanoTime();
    TestClient client = start(Map.of("START_DELAY_SECONDS", String.valueOf(delay.toSeconds())));

    long asked = System.nanoTime();
    HttpResponse<String> ready = client.get("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(TestClient.json(ready).get("ready").asBoolean()).isFalse();
    String reason = TestClient.json(ready).get("error").asText();
    assertThat(reason).contains("START_DELAY_SECONDS");
    // The server's own count of what is left: ready no sooner than that after the request left.
    Duration left = readyIn(reason);
    assertThat(left).isPositive().isLessThanOrEqualTo(delay);
    assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(503);
    HttpResponse<String> modelReady = client.get("/v2/models/heart/ready");
    assertThat(modelReady.statusCode()).isEqualTo(503);
    assertThat(TestClient.json(modelReady).get("ready").asBoolean()).isFalse();
    assertThat(
            client
                .post("/v2/models/heart/infer", V2ProtocolTest.request("FP64", 1, false).toString())
                .statusCode())
        .isEqualTo(503);
    assertThat(client.get("/").statusCode()).isEqualTo(200);
    HttpResponse<String> predict = client.post("/predict", Fixtures.patient().toString());
    assertThat(predict.statusCode()).isEqualTo(503);
    assertThat(TestClient.json(predict).get("error").asText()).startsWith("not ready");
    assertThat(
            client
                .post("/v1/models/heart:predict", Fixtures.instances(Fixtures.patient()))
                .statusCode())
        .isEqualTo(503);
    assertThat(TestClient.json(client.get("/v1/models/heart")).get("ready").asBoolean()).isFalse();
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
    assertThat(client.get("/metrics").body()).contains("inference_ready 0");

    await()
        .atMost(delay.plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(client.get("/ready").statusCode()).isEqualTo(200));
    long readyAt = System.nanoTime();
    // Lower bounds, which no load can break: ready neither before the delay nor before the
    // moment the server announced.
    assertThat(Duration.ofNanos(readyAt - started)).isGreaterThanOrEqualTo(delay);
    assertThat(Duration.ofNanos(readyAt - asked)).isGreaterThanOrEqualTo(left);
    assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(client.get("/v2/models/heart/ready").statusCode()).isEqualTo(200);
    assertThat(client.post("/predict", Fixtures.patient().toString()).statusCode()).isEqualTo(200);
    assertThat(TestClient.json(client.get("/v1/models/heart")).get("ready").asBoolean()).isTrue();
  }

  private static final Pattern READY_IN = Pattern.compile("ready in ([0-9.]+) s");

  private static Duration readyIn(String reason) {
    Matcher m = READY_IN.matcher(reason);
    assertThat(m.find()).as(reason).isTrue();
    return Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * 1e9));
  }

  @Test
  void crashModeUnhealthyTurnsLivenessTo500() throws Exception {
    // Long enough for the first, cold, request to land before the crash on a loaded machine.
    Duration crashAfter = Duration.ofSeconds(3);
    long started = System.nanoTime();
    TestClient client =
        start(
            Map.of(
                "CRASH_AFTER_SECONDS",
                String.valueOf(crashAfter.toSeconds()),
                "CRASH_MODE",
                "unhealthy"));
    assertThat(client.get("/health").statusCode()).isEqualTo(200);

    await()
        .atMost(crashAfter.plusSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(client.get("/health").statusCode()).isEqualTo(500));
    long crashed = System.nanoTime();
    assertThat(Duration.ofNanos(crashed - started)).isGreaterThanOrEqualTo(crashAfter);
    HttpResponse<String> health = client.get("/health");
    assertThat(TestClient.json(health).get("status").asText()).isEqualTo("unhealthy");
    assertThat(client.get("/v2/health/live").statusCode()).isEqualTo(500);
    assertThat(exitCalls).hasValue(0);
  }

  @Test
  void crashModeExitCallsExitWithStatus1() throws Exception {
    AtomicInteger status = new AtomicInteger(-1);
    server =
        InferenceServer.start(
            Fixtures.settings(Map.of("CRASH_AFTER_SECONDS", "0.2", "CRASH_MODE", "exit")),
            LogisticRegressionModel.loadBundled(),
            status::set);
    await().atMost(Duration.ofSeconds(10)).untilAtomic(status, org.hamcrest.Matchers.is(1));
  }

  @Test
  void shutdownTurnsReadinessOff() throws Exception {
    start(Map.of());
    assertThat(server.lifecycle().isReady()).isTrue();
    server.stop(Duration.ZERO);
    assertThat(server.lifecycle().isReady()).isFalse();
    assertThat(server.lifecycle().notReadyReason()).isEqualTo("shutting down");
  }
}
