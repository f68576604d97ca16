package dev.inferops.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds the JDK HTTP server to the routes, with a fixed worker pool, and stops it gracefully. */
public final class InferenceServer {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

  static {
    // The JDK server writes headers and body separately; with Nagle on, keep-alive clients wait
    // for a delayed ACK (~40 ms) on every response. Must be set before the first server exists.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final Settings settings;
  private final HttpServer http;
  private final ThreadPoolExecutor workers;
  private final Lifecycle lifecycle;
  private final AtomicInteger stopped = new AtomicInteger();

  private InferenceServer(
      Settings settings, HttpServer http, ThreadPoolExecutor workers, Lifecycle lifecycle) {
    this.settings = settings;
    this.http = http;
    this.workers = workers;
    this.lifecycle = lifecycle;
  }

  /**
   * Binds, starts serving and starts the lifecycle clocks.
   *
   * @param exit what CRASH_MODE=exit calls with status 1
   */
  public static InferenceServer start(Settings settings, Model model, IntConsumer exit)
      throws IOException {
    Lifecycle lifecycle = new Lifecycle(settings, exit);
    AppMetrics metrics = new AppMetrics(model, lifecycle::isReady);
    Routes routes = new Routes(model, new InstanceValidator(), lifecycle, metrics);
    HttpServer http =
        HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 1024);
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            settings.httpThreads(),
            settings.httpThreads(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> new Thread(r, "http-" + n.incrementAndGet()));
    workers.prestartAllCoreThreads();
    http.createContext("/", routes);
    http.setExecutor(workers);
    http.start();
    InferenceServer server = new InferenceServer(settings, http, workers, lifecycle);
    LOG.info(
        "inference-app listening on {}:{} model={} version={} source={} {}",
        settings.bindAddress().getHostAddress(),
        server.port(),
        model.name(),
        model.version(),
        model.source(),
        settings.describe());
    // The model is loaded before the server starts, so readiness only waits for the delay.
    lifecycle.start(true);
    return server;
  }

  public int port() {
    return http.getAddress().getPort();
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** Stops with the configured grace period. */
  public void stop() {
    stop(settings.shutdownGrace());
  }

  /** Stops accepting, lets requests in flight finish for up to {@code grace}, then stops. */
  public void stop(Duration grace) {
    if (stopped.getAndIncrement() > 0) {
      return;
    }
    LOG.info("shutting down: finishing requests in flight (grace {} s)", grace.toSeconds());
    lifecycle.beginShutdown();
    // HttpServer.stop closes the listener at once, then waits for exchanges up to the delay.
    http.stop((int) grace.toSeconds());
    workers.shutdown();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    lifecycle.close();
    LOG.info("stopped");
  }
}
