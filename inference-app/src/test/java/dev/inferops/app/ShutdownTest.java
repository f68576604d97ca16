package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** What a rolling update relies on: not ready at once, still serving, then a clean stop. */
class ShutdownTest {
  private InferenceServer server;

  private int start() throws Exception {
    server = Fixtures.startServer(Map.of());
    return server.port();
  }

  @AfterEach
  void stop() {
    server.stop(Duration.ZERO);
  }

  @Test
  void drainTurnsReadinessOffButKeepsServingNewConnections() throws Exception {
    int port = start();
    TestClient client = new TestClient(port);
    assertThat(client.get("/ready").statusCode()).isEqualTo(200);

    // Long enough for the checks below on a loaded machine: all of them must land in the drain.
    Duration drain = Duration.ofSeconds(5);
    long stopCalled = System.nanoTime();
    CompletableFuture<Void> stopping =
        CompletableFuture.runAsync(() -> server.stop(drain, Duration.ofSeconds(2)));
    await()
        .atMost(drain)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> client.get("/ready").statusCode() == 503);
    assertThat(TestClient.json(client.get("/ready")).get("error").asText())
        .isEqualTo("shutting down");
    assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(503);
    assertThat(client.get("/v2/models/heart/ready").statusCode()).isEqualTo(503);
    assertThat(stopping).isNotDone();

    // Requests arriving during the drain are served, each on a fresh connection.
    for (int i = 0; i < 5; i++) {
      try (RawHttp raw = new RawHttp(port)) {
        RawHttp.Response r = raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Connection")).isEqualTo("close");
      }
    }
    assertThat(new TestClient(port).post("/predict", Fixtures.patient().toString()).statusCode())
        .isEqualTo(200);
    assertThat(stopping).isNotDone();

    stopping.get(drain.plusSeconds(20).toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    long stopped = System.nanoTime();
    // The drain runs inside the stop call, so whatever the load, the stop cannot end sooner.
    assertThat(Duration.ofNanos(stopped - stopCalled)).isGreaterThanOrEqualTo(drain);
    assertThatThrownBy(() -> new RawHttp(port).close()).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void requestInFlightWhenTheListenerClosesIsServed() throws Exception {
    int port = start();
    String body = Fixtures.patient().toString();
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(
          "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n"
              + body.substring(0, 10));
      // In flight means the server has the head: only then is it the server's to finish.
      await()
          .atMost(Duration.ofSeconds(5))
          .pollInterval(Duration.ofMillis(10))
          .until(() -> server.requestsInFlight() == 1);
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> server.stop(Duration.ZERO, Duration.ofSeconds(10)));
      awaitListenerClosed(port);
      RawHttp.Response r = raw.send(body.substring(10)).read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
      stopping.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /**
   * A client that connected just before the listener closed (a Service still routing to the pod)
   * sends its request a moment later: it is served, not met with a closed connection.
   */
  @Test
  void aConnectionOpenedJustBeforeTheListenerClosesIsServedItsFirstRequest() throws Exception {
    int port = start();
    try (RawHttp fresh = new RawHttp(port)) {
      CompletableFuture<Void> stopping =
          CompletableFuture.runAsync(() -> server.stop(Duration.ZERO, Duration.ofSeconds(5)));
      awaitListenerClosed(port);
      RawHttp.Response r = fresh.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualTo("close");
      stopping.get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  /** Until a new connection is refused. */
  private static void awaitListenerClosed(int port) {
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              try (RawHttp probe = new RawHttp(port)) {
                return false;
              } catch (java.io.IOException refused) {
                return true;
              }
            });
  }

  /** A connection accepted just as the listener closes was once left open for ever. */
  @RepeatedTest(10)
  void aConnectionAcceptedAsTheStopBeginsIsClosedToo() throws Exception {
    int port = start();
    try (RawHttp raw = new RawHttp(port)) {
      raw.send("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{");
      server.stop(Duration.ZERO, Duration.ofMillis(300));
      raw.timeout(5000);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void idleKeepAliveConnectionsDoNotHoldUpTheStop() throws Exception {
    int port = start();
    try (RawHttp idle = new RawHttp(port)) {
      assertThat(idle.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status())
          .isEqualTo(200);
      long t0 = System.nanoTime();
      server.stop(Duration.ZERO, Duration.ofSeconds(10));
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(idle.closedByServer()).isTrue();
    }
  }
}
