package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that send part of a request and stop, or never leave: nobody else may notice them. */
class SlowClientTest {
  private InferenceServer server;
  private final List<RawHttp> sockets = new ArrayList<>();

  private int start(Map<String, String> env) throws Exception {
    server = Fixtures.startServer(env);
    return server.port();
  }

  @AfterEach
  void stop() throws Exception {
    for (RawHttp s : sockets) {
      s.close();
    }
    if (server != null) {
      server.stop(Duration.ZERO);
    }
  }

  @Test
  void stalledSendersDelayNobodyAndGet408() throws Exception {
    int port = start(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "2"));
    TestClient client = new TestClient(port);
    String body = Fixtures.patient().toString();
    // The budget below is for what stalled senders cost others, not for a cold client and server:
    // their first requests alone can take longer than it on a loaded machine.
    for (int i = 0; i < 20; i++) {
      assertThat(client.post("/predict", body).statusCode()).isEqualTo(200);
      assertThat(client.get("/health").statusCode()).isEqualTo(200);
    }
    String[] partial = {
      "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 300\r\n\r\n{\"age\":",
      "GET /hea",
      "POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"a",
      "GET /health HTTP/1.1\r\nHost: x\r\n",
    };
    for (int i = 0; i < 200; i++) {
      RawHttp s = new RawHttp(port);
      sockets.add(s);
      s.send(partial[i % partial.length]);
    }
    long worst = 0;
    for (int i = 0; i < 100; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> p = client.post("/predict", body);
      HttpResponse<String> h = client.get("/health");
      worst = Math.max(worst, System.nanoTime() - t0);
      assertThat(p.statusCode()).isEqualTo(200);
      assertThat(h.statusCode()).isEqualTo(200);
    }
    // Half the stalled requests' 2 s deadline, which a server that waited on them would sit out;
    // the JDK server took tens of seconds here.
    assertThat(Duration.ofNanos(worst)).isLessThan(Duration.ofSeconds(1));

    // Each stalled request gets a JSON 408 once its deadline passes, and its connection closes.
    for (RawHttp s : sockets) {
      RawHttp.Response r = s.read();
      assertThat(r.status()).isEqualTo(408);
      assertThat(TestClient.json(r.body()).get("error").asText()).contains("within 2 s");
      assertThat(s.closedByServer()).isTrue();
    }
  }

  @Test
  void trickleDoesNotExtendTheDeadline() throws Exception {
    int port = start(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "1"));
    RawHttp s = new RawHttp(port);
    sockets.add(s);
    s.send("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
    long t0 = System.nanoTime();
    // One byte every 200 ms would keep a plain read timeout happy for ever.
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              try {
                s.send("1");
                return false;
              } catch (java.io.IOException e) {
                return true;
              }
            });
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aStallAfterAServedRequestGetsTheRequestDeadlineNotTheIdleOne() throws Exception {
    int port =
        start(Map.of("HTTP_REQUEST_TIMEOUT_SECONDS", "1", "HTTP_IDLE_TIMEOUT_SECONDS", "60"));
    String health = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
    for (String next : new String[] {"GET /hea", health + "GET /hea"}) {
      RawHttp s = new RawHttp(port);
      sockets.add(s);
      assertThat(s.send(health).read().status()).isEqualTo(200);
      long t0 = System.nanoTime();
      s.send(next);
      if (next.startsWith(health)) {
        // Pipelined: the complete request is answered, the partial one behind it times out.
        assertThat(s.read().status()).isEqualTo(200);
      }
      assertThat(s.read().status()).isEqualTo(408);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void idleKeepAliveConnectionsAreClosed() throws Exception {
    int port = start(Map.of("HTTP_IDLE_TIMEOUT_SECONDS", "1"));
    RawHttp s = new RawHttp(port);
    sockets.add(s);
    assertThat(s.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
    s.timeout(5000);
    assertThat(s.closedByServer()).isTrue();
  }

  @Test
  void connectionsOverTheCapGetA503AndOthersAreServedAgainOnceOneCloses() throws Exception {
    int port = start(Map.of("HTTP_MAX_CONNECTIONS", "4"));
    for (int i = 0; i < 4; i++) {
      RawHttp s = new RawHttp(port);
      sockets.add(s);
      assertThat(s.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
    }
    try (RawHttp extra = new RawHttp(port)) {
      RawHttp.Response r = extra.read();
      assertThat(r.status()).isEqualTo(503);
      assertThat(TestClient.json(r.body()).get("error").asText()).contains("too many connections");
      assertThat(r.header("X-App-Version")).isEqualTo("dev");
    }
    sockets.remove(0).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              try (RawHttp again = new RawHttp(port)) {
                return again.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read().status() == 200;
              }
            });
  }
}
