package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.inferops.app.model.onnx.Oracle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code download}, the init container's mode: the model lands whole and right or not at all, and
 * every failure is one line naming the URL and the cause.
 */
class DownloadCommandTest {
  private static HttpServer server;
  private static byte[] model;
  private static String sha256;
  private static String base;

  @TempDir Path dir;

  @BeforeAll
  static void serve() throws Exception {
    model = Files.readAllBytes(Oracle.file("heart-forest.onnx"));
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          switch (path) {
            case "/heart-forest.onnx" -> {
              exchange.sendResponseHeaders(200, model.length);
              exchange.getResponseBody().write(model);
            }
            case "/moved.onnx" -> {
              exchange.getResponseHeaders().add("Location", "/heart-forest.onnx");
              exchange.sendResponseHeaders(302, -1);
            }
            case "/big.onnx" -> {
              // No Content-Length: the limit must hold while streaming.
              exchange.sendResponseHeaders(200, 0);
              byte[] chunk = new byte[64 * 1024];
              for (int i = 0; i < 40; i++) {
                exchange.getResponseBody().write(chunk);
              }
            }
            default -> exchange.sendResponseHeaders(404, -1);
          }
          exchange.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
  }

  private record Result(int status, String out, String err) {}

  private static Result download(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "download";
    System.arraycopy(args, 0, all, 1, args.length);
    int status =
        InferenceApp.run(
            all,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aModelWithTheRightChecksumLandsWhole() throws Exception {
    Path target = dir.resolve("models/model.onnx");

    Result r =
        download("--url", base + "/heart-forest.onnx", "--sha256", sha256, "--out", "" + target);

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(target)).isEqualTo(model);
    assertThat(r.err().strip()).endsWith("(sha256 " + sha256 + ")");
  }

  @Test
  void aRedirectIsFollowed() throws Exception {
    Path target = dir.resolve("model.onnx");

    Result r = download("--url", base + "/moved.onnx", "--out", "" + target);

    assertThat(r.status()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(target)).isEqualTo(model);
  }

  @Test
  void aWrongChecksumKeepsNothingAndNamesBothDigests() throws Exception {
    String wrong = "0".repeat(64);

    Result r =
        download(
            "--url", base + "/heart-forest.onnx", "--sha256", wrong, "--out", dir + "/model.onnx");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "model download from "
                + base
                + "/heart-forest.onnx: sha256 mismatch: expected "
                + wrong
                + ", got "
                + sha256
                + System.lineSeparator());
    assertThat(listing()).isEmpty();
  }

  @Test
  void aMissingFileIsItsHttpStatus() throws Exception {
    Result r = download("--url", base + "/nope.onnx", "--out", dir + "/model.onnx");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("model download from " + base + "/nope.onnx: HTTP 404");
    assertThat(listing()).isEmpty();
  }

  @Test
  void anUnreachableHostIsNamed() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + "/model.onnx";

    Result r = download("--url", url, "--out", dir + "/model.onnx");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip())
        .startsWith("model download from " + url + ": cannot connect to 127.0.0.1:" + closed)
        .doesNotContain("\n");
  }

  @Test
  void aFileOverTheLimitStopsWhileStreaming() throws Exception {
    Result r = download("--url", base + "/big.onnx", "--max-mb", "1", "--out", dir + "/model.onnx");

    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err().strip())
        .isEqualTo(
            "model download from "
                + base
                + "/big.onnx: the model is more than 1048576 bytes, over the limit of 1 MiB"
                + " (MODEL_MAX_MB)");
    assertThat(listing()).isEmpty();
  }

  @Test
  void badArgumentsAreUsageErrorsNamingTheOption() {
    assertThat(download("--url", "ftp://host/m.onnx", "--out", "/tmp/x").err())
        .startsWith("download: --url must be an http:// or https:// URL, got ftp://host/m.onnx");
    assertThat(download("--url", base + "/m.onnx", "--sha256", "abc", "--out", "/tmp/x").err())
        .startsWith("download: --sha256 must be 64 hex digits, got abc");
    assertThat(download("--url", base + "/m.onnx").status()).isEqualTo(2);
  }

  private String[] listing() throws IOException {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(Path::toString).toArray(String[]::new);
    }
  }
}
