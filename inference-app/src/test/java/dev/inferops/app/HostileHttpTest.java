package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What a hostile or broken client sends at the HTTP level: always a JSON answer, never a 5xx. */
class HostileHttpTest {
  private static final String VERSION = "9.9.9-test";
  private static InferenceServer server;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    server = Fixtures.startServer(Map.of("APP_VERSION", VERSION));
    port = server.port();
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ZERO);
  }

  static Stream<Arguments> malformed() {
    String body = Fixtures.patient().toString();
    return Stream.of(
        Arguments.of(
            "non-numeric Content-Length",
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            400,
            "Content-Length"),
        Arguments.of(
            "negative Content-Length",
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            400,
            "Content-Length"),
        Arguments.of(
            "two different Content-Lengths",
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n{}",
            400,
            "Content-Length"),
        Arguments.of(
            "Content-Length and Transfer-Encoding",
            "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "Transfer-Encoding"),
        Arguments.of(
            "unsupported Transfer-Encoding",
            "POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            400,
            "chunked"),
        Arguments.of(
            "Transfer-Encoding on HTTP/1.0",
            "POST /predict HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "bad chunk size",
            "POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "space in a header name",
            "GET /health HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "separator in a header name",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-(a): 1\r\n\r\n",
            400,
            "malformed HTTP request"),
        Arguments.of("garbage request line", "GARBAGE\r\n\r\n", 400, "malformed HTTP request"),
        Arguments.of(
            "unknown protocol", "GET /health FOO/1.1\r\nHost: x\r\n\r\n", 400, "malformed"),
        Arguments.of(
            "bare LF line endings",
            "GET /health HTTP/1.1\nHost: x\n\n",
            400,
            "malformed HTTP request"),
        Arguments.of(
            "bad percent-encoding", "GET /pre%zzdict HTTP/1.1\r\nHost: x\r\n\r\n", 400, "percent"),
        Arguments.of(
            "character to be encoded", "GET /a<b> HTTP/1.1\r\nHost: x\r\n\r\n", 400, "0x3c"),
        Arguments.of(
            "fragment in the target", "GET /health#x HTTP/1.1\r\nHost: x\r\n\r\n", 400, "0x23"),
        Arguments.of(
            "target without a slash", "GET health HTTP/1.1\r\nHost: x\r\n\r\n", 400, "'/'"),
        Arguments.of(
            "percent-encoded bytes that are not UTF-8",
            "GET /v1/models/%C3%28 HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "UTF-8"),
        Arguments.of(
            "raw non-ASCII byte in the URI",
            "GET /caf\u00e9 HTTP/1.1\r\nHost: x\r\n\r\n",
            400,
            "0xe9"),
        Arguments.of("missing Host", "GET /health HTTP/1.1\r\n\r\n", 400, "Host"),
        Arguments.of(
            "two Host headers", "GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "Host"),
        Arguments.of(
            "header value that is not UTF-8",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Name: \u00ff\u00fe\r\n\r\n",
            400,
            "UTF-8"),
        Arguments.of(
            "unsupported Expect",
            "POST /predict HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n",
            417,
            "Expect"),
        Arguments.of(
            "Expect 100-continue with a body over the limit",
            "POST /predict HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n",
            413,
            "larger than"),
        Arguments.of(
            "request line over 8 KiB",
            "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            414,
            "longer than"),
        Arguments.of(
            "one huge header",
            "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(300 * 1024) + "\r\n\r\n",
            431,
            "larger than"),
        Arguments.of(
            "hundreds of header lines",
            "GET /health HTTP/1.1\r\nHost: x\r\n" + "X-A: 1\r\n".repeat(500) + "\r\n",
            431,
            "too many request headers"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void protocolErrorsAreJsonAndCloseTheConnection(
      String name, String request, int status, String message) throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      RawHttp.Response r = raw.send(request).read();
      assertThat(r.status()).as(r.body()).isEqualTo(status);
      assertThat(r.header("Content-Type")).isEqualTo("application/json");
      assertThat(r.header("X-App-Version")).isEqualTo(VERSION);
      assertThat(TestClient.json(r.body()).get("error").asText()).contains(message);
      assertThat(r.body()).doesNotContain("Exception", "\tat ");
      assertThat(raw.closedByServer()).as("connection closed after a framing error").isTrue();
    }
    assertThat(RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n").status())
        .isEqualTo(200);
  }

  @Test
  void halfCloseBeforeTheRequestIsCompleteGetsA400() throws Exception {
    for (String partial :
        new String[] {
          "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"age\":",
          "GET /heal",
          "POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":"
        }) {
      try (RawHttp raw = new RawHttp(port)) {
        RawHttp.Response r = raw.send(partial).halfClose().read();
        assertThat(r.status()).as(partial).isEqualTo(400);
        assertThat(TestClient.json(r.body()).has("error")).isTrue();
        assertThat(raw.closedByServer()).isTrue();
      }
    }
  }

  @Test
  void halfCloseAfterACompleteRequestStillGetsTheAnswer() throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      RawHttp.Response r = raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").halfClose().read();
      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void oneMebibyteUriIs414() throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      RawHttp.Response r =
          raw.send("GET /" + "u".repeat(1 << 20) + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(414);
      assertThat(TestClient.json(r.body()).get("error").asText()).contains("longer than");
    }
  }

  @Test
  void absoluteFormTargetIsServed() throws Exception {
    RawHttp.Response r =
        RawHttp.exchange(port, "GET http://localhost:8000/health?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void headGetsHeadersWithoutABodyAndTheConnectionStaysInSync() throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      RawHttp.Response head = raw.send("HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n").readHead();
      assertThat(head.status()).isEqualTo(405);
      assertThat(head.header("Allow")).isEqualTo("GET");
      RawHttp.Response next = raw.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n").read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    String body = Fixtures.patient().toString();
    String predict =
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(predict + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" + predict);
      assertThat(raw.read().status()).isEqualTo(200);
      assertThat(raw.read().status()).isEqualTo(404);
      RawHttp.Response third = raw.read();
      assertThat(third.status()).isEqualTo(200);
      assertThat(third.header("Date")).isNotBlank();
    }
  }

  @Test
  void expectContinueGetsAnInterimResponseThenTheAnswer() throws Exception {
    String body = Fixtures.patient().toString();
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(
          "POST /predict HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
              + body.length()
              + "\r\n\r\n");
      assertThat(raw.readHead().status()).isEqualTo(100);
      RawHttp.Response r = raw.send(body).read();
      assertThat(r.status()).isEqualTo(200);
    }
  }

  @Test
  void http10KeepAliveIsHonoured() throws Exception {
    try (RawHttp raw = new RawHttp(port)) {
      RawHttp.Response r =
          raw.send("GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
      assertThat(raw.send("GET /ready HTTP/1.0\r\n\r\n").read().status()).isEqualTo(200);
      assertThat(raw.closedByServer()).isTrue();
    }
  }

  @Test
  void invalidUtf8InABodyIs400() throws Exception {
    byte[] head =
        "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] body = {'{', '"', 'a', (byte) 0xff, 'e', '"', ':', '6', '3', ' ', ' ', '}'};
    try (RawHttp raw = new RawHttp(port)) {
      raw.send(head).send(body);
      RawHttp.Response r = raw.read();
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.body()).contains("UTF-8");
    }
  }
}
