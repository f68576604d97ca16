package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * FAULT_INJECTION_ERROR_FRACTION and FAULT_INJECTION_DELAY_MILLIS against the real server: the 500s
 * and the latency a canary analysis must see in /metrics, and nothing else disturbed.
 */
class FaultInjectionHttpTest {
  private static final String PREDICT_500 =
      "http_server_requests_seconds_count{route=\"/predict\",status=\"500\"}";
  private static final String PREDICT_200 =
      "http_server_requests_seconds_count{route=\"/predict\",status=\"200\"}";
  // Every route but the three that predict: probes, scrapes and metadata.
  private static final List<String> NEVER_FAULTED =
      List.of(
          "/health",
          "/ready",
          "/metrics",
          "/",
          "/v1/models",
          "/v1/models/heart",
          "/v2",
          "/v2/health/live",
          "/v2/health/ready",
          "/v2/models/heart",
          "/v2/models/heart/ready");

  private InferenceServer server;

  private TestClient start(Map<String, String> env) throws Exception {
    server = Fixtures.startServer(env);
    return new TestClient(server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  @Test
  void aQuarterOfPredictionsAnswer500AndMetricsCountThemOnThePredictRoute() throws Exception {
    TestClient client = start(Map.of("FAULT_INJECTION_ERROR_FRACTION", "0.25"));
    List<Integer> failed = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      HttpResponse<String> r = client.post("/predict", Fixtures.patient().toString());
      if (r.statusCode() == 500) {
        failed.add(i);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = TestClient.json(r);
        assertThat(body.fieldNames()).toIterable().containsExactly("error");
        assertThat(body.get("error").asText())
            .isEqualTo(
                "injected fault: FAULT_INJECTION_ERROR_FRACTION=0.25 fails this share of"
                    + " prediction requests on purpose");
      } else {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      for (String path : NEVER_FAULTED) {
        assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
      }
    }
    // Deterministic: every fourth.
    assertThat(failed).hasSize(25).startsWith(4, 8, 12).endsWith(96, 100);

    String metrics = client.get("/metrics").body();
    assertThat(sample(metrics, PREDICT_500)).isEqualTo(25);
    assertThat(sample(metrics, PREDICT_200)).isEqualTo(75);
    assertThat(metrics.lines().filter(l -> l.contains("status=\"500\"")))
        .isNotEmpty()
        .allMatch(l -> l.contains("route=\"/predict\""));
  }

  @Test
  void everyPredictionRouteSharesTheCount() throws Exception {
    TestClient client = start(Map.of("FAULT_INJECTION_ERROR_FRACTION", "0.5"));
    String v1 = Fixtures.instances(Fixtures.patient());
    String v2 = V2ProtocolTest.request("FP64", 1, false).toString();
    // Requests 1, 2, 3, ...: the even ones fail, so each route gets 5 of its 10 on this cycle.
    for (int i = 0; i < 10; i++) {
      assertFault(client.post("/predict", Fixtures.patient().toString()), i % 2 == 1);
      assertFault(client.post("/v1/models/heart:predict", v1), i % 2 == 0);
      assertFault(client.post("/v2/models/heart/infer", v2), i % 2 == 1);
    }
    String metrics = client.get("/metrics").body();
    for (String route :
        List.of("/predict", "/v1/models/{name}:predict", "/v2/models/{name}/infer")) {
      String series = "http_server_requests_seconds_count{route=\"" + route + "\",status=\"";
      assertThat(sample(metrics, series + "500\"}")).as(route).isEqualTo(5);
      assertThat(sample(metrics, series + "200\"}")).as(route).isEqualTo(5);
    }
    // A method a prediction route does not answer is no prediction: its 405 stays a 405.
    assertThat(client.get("/predict").statusCode()).isEqualTo(405);
  }

  private static void assertFault(HttpResponse<String> r, boolean injected) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(injected ? 500 : 200);
    if (injected) {
      assertThat(TestClient.json(r).get("error").asText())
          .startsWith("injected fault: FAULT_INJECTION_ERROR_FRACTION=0.5 ");
    }
  }

  @Test
  void aStartingServerStillAnswers503AndDoesNotCountIt() throws Exception {
    // Long enough for the first, cold, request to land in it on a loaded machine.
    TestClient client =
        start(Map.of("FAULT_INJECTION_ERROR_FRACTION", "0.5", "START_DELAY_SECONDS", "4"));
    HttpResponse<String> starting = client.post("/predict", Fixtures.patient().toString());
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(TestClient.json(starting).get("error").asText()).startsWith("not ready");
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.get("/ready").statusCode() == 200);
    // Had the 503 been counted, the first of these would be the second request, and fail.
    assertThat(client.post("/predict", Fixtures.patient().toString()).statusCode()).isEqualTo(200);
    assertThat(client.post("/predict", Fixtures.patient().toString()).statusCode()).isEqualTo(500);
  }

  /**
   * One event loop for every connection: a delay that slept on it would hold the health check up
   * until the prediction's answer. The health check is answered while the prediction still waits.
   */
  @Test
  void aDelayedPredictionDoesNotHoldUpOtherConnections() throws Exception {
    Duration delay = Duration.ofSeconds(4);
    TestClient client =
        start(
            Map.of(
                "FAULT_INJECTION_DELAY_MILLIS",
                String.valueOf(delay.toMillis()),
                "HTTP_THREADS",
                "1"));
    String body = Fixtures.patient().toString();
    try (RawHttp raw = new RawHttp(server.port())) {
      long sent = System.nanoTime();
      raw.send(
          "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body);
      CompletableFuture<Long> answered =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  assertThat(raw.read().status()).isEqualTo(200);
                  return System.nanoTime();
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> server.requestsInFlight() == 1);

      long asked = System.nanoTime();
      assertThat(client.get("/health").statusCode()).isEqualTo(200);
      assertThat(client.get("/metrics").statusCode()).isEqualTo(200);
      Duration health = Duration.ofNanos(System.nanoTime() - asked);
      assertThat(answered)
          .as("the delayed prediction, answered before the health check")
          .isNotDone();
      assertThat(health).isLessThan(delay);

      long done = answered.get(delay.plusSeconds(20).toSeconds(), TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(done - sent)).isGreaterThanOrEqualTo(delay);
    }
  }

  @Test
  void theDelayIsInTheLatencyHistogramOfEveryAnswer() throws Exception {
    Duration delay = Duration.ofMillis(300);
    TestClient client =
        start(
            Map.of(
                "FAULT_INJECTION_DELAY_MILLIS",
                String.valueOf(delay.toMillis()),
                "FAULT_INJECTION_ERROR_FRACTION",
                "0.5"));
    for (int i = 0; i < 4; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = client.post("/predict", Fixtures.patient().toString());
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(delay);
      assertThat(r.statusCode()).isEqualTo(i % 2 == 0 ? 200 : 500);
    }
    // Not a prediction: not delayed, whatever the route.
    assertThat(client.get("/predict").statusCode()).isEqualTo(405);

    String metrics = client.get("/metrics").body();
    for (String status : List.of("200", "500")) {
      TreeMap<Double, Double> buckets = buckets(metrics, "/predict", status);
      assertThat(buckets).containsKeys(0.1, 0.25, 0.5, Double.POSITIVE_INFINITY);
      // Cumulative counts: none at or below 0.25 s, both of them by +Inf.
      assertThat(buckets.headMap(0.3))
          .as(status)
          .allSatisfy((le, count) -> assertThat(count).isZero());
      assertThat(buckets.get(Double.POSITIVE_INFINITY)).isEqualTo(2);
      String sum = "http_server_requests_seconds_sum{route=\"/predict\",status=\"" + status + "\"}";
      assertThat(sample(metrics, sum)).isGreaterThanOrEqualTo(2 * delay.toNanos() / 1e9);
    }
    TreeMap<Double, Double> notAPrediction = buckets(metrics, "/predict", "405");
    assertThat(notAPrediction.get(0.25)).isEqualTo(1);
  }

  /** Pipelined requests wait behind a delayed answer and keep their order; so does a FIN. */
  @Test
  void pipelinedRequestsAndAFinBehindADelayedAnswerKeepTheirOrder() throws Exception {
    Duration delay = Duration.ofMillis(300);
    start(Map.of("FAULT_INJECTION_DELAY_MILLIS", String.valueOf(delay.toMillis())));
    String body = Fixtures.patient().toString();
    String predict =
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    try (RawHttp raw = new RawHttp(server.port())) {
      long t0 = System.nanoTime();
      raw.send(
              predict
                  + "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                  + predict
                  + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
          .halfClose();
      assertThat(raw.read().status()).isEqualTo(200);
      RawHttp.Response health = raw.read();
      assertThat(health.status()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(raw.read().status()).isEqualTo(200);
      assertThat(raw.read().status()).isEqualTo(404);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isGreaterThanOrEqualTo(delay.multipliedBy(2));
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void aDelayedAnswerInFlightWhenTheShutdownBeginsIsStillGiven() throws Exception {
    start(Map.of("FAULT_INJECTION_DELAY_MILLIS", "1000"));
    try (RawHttp raw = predictionInFlight()) {
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> server.stop(Duration.ZERO, Duration.ofSeconds(20)));
      RawHttp.Response r = raw.read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
      stopping.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDelayedAnswerStillDueWhenTheGracePeriodEndsHasItsConnectionClosed() throws Exception {
    start(Map.of("FAULT_INJECTION_DELAY_MILLIS", "60000"));
    try (RawHttp raw = predictionInFlight()) {
      long t0 = System.nanoTime();
      server.stop(Duration.ZERO, Duration.ofMillis(300));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
      raw.timeout(5000);
      assertThat(raw.closedByServer()).isTrue();
      assertThat(server.requestsInFlight()).isZero();
    }
  }

  /** The value of one series, as Prometheus' text format gives it; fails when it is absent. */
  static double sample(String metrics, String series) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(series + " is not in\n" + metrics));
  }

  private static final Pattern BUCKET =
      Pattern.compile("^http_server_requests_seconds_bucket\\{(.*),le=\"([^\"]+)\"} (\\S+)$");

  /** Upper bound → cumulative count of one route's and status's latency histogram. */
  static TreeMap<Double, Double> buckets(String metrics, String route, String status) {
    String labels = "route=\"" + route + "\",status=\"" + status + "\"";
    TreeMap<Double, Double> out = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = BUCKET.matcher(line);
      if (m.matches() && m.group(1).equals(labels)) {
        double le =
            m.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(2));
        out.put(le, Double.parseDouble(m.group(3)));
      }
    }
    assertThat(out).as(labels + " in\n" + metrics).isNotEmpty();
    return out;
  }

  /** A connection whose one prediction the server holds: its answer is delayed. */
  private RawHttp predictionInFlight() throws IOException {
    String body = Fixtures.patient().toString();
    RawHttp raw = new RawHttp(server.port());
    raw.send(
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body);
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> server.requestsInFlight() == 1);
    return raw;
  }
}
