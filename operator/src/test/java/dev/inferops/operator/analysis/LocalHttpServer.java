package dev.inferops.operator.analysis;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A server on 127.0.0.1 and a free port that answers every request with what the test set, and
 * records the paths asked for; it stands in for a pod or for the API server.
 */
final class LocalHttpServer implements AutoCloseable {

  /** What to answer; may block, until {@link #close} releases it. */
  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange, CountDownLatch closed)
        throws IOException, InterruptedException;
  }

  final List<String> paths = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Handler handler = (exchange, c) -> reply(exchange, 404, "not set");

  LocalHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          paths.add(exchange.getRequestURI().getRawPath());
          try {
            handler.handle(exchange, closed);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            exchange.close();
          }
        });
    server.start();
  }

  LocalHttpServer answer(Handler handler) {
    this.handler = handler;
    return this;
  }

  LocalHttpServer answer(int status, String body) {
    return answer((exchange, c) -> reply(exchange, status, body));
  }

  int port() {
    return server.getAddress().getPort();
  }

  static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Streams {@code megabytes} of comment lines, more than any /metrics should be. */
  static void stream(HttpExchange exchange, int megabytes) throws IOException {
    exchange.sendResponseHeaders(200, 0);
    byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(StandardCharsets.US_ASCII);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < megabytes * 1024; i++) {
        out.write(line);
      }
    } catch (IOException readerGaveUp) {
      // The client stops reading at its limit; that is the point.
    }
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
