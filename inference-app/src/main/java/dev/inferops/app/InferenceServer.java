package dev.inferops.app;

import dev.inferops.app.faults.InjectedErrors;
import dev.inferops.app.http.HttpTransport;
import dev.inferops.app.lifecycle.Lifecycle;
import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.model.Model;
import dev.inferops.app.protocol.DataPlane;
import dev.inferops.app.protocol.predict.PredictEndpoints;
import dev.inferops.app.protocol.v1.V1Endpoints;
import dev.inferops.app.protocol.v2.V2Endpoints;
import dev.inferops.app.routing.Endpoints;
import dev.inferops.app.routing.Routes;
import dev.inferops.app.settings.Settings;
import dev.inferops.app.shadow.ShadowTraffic;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires model, data plane, routes and transport together, and stops them in the right order. */
public final class InferenceServer {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

  private final Settings settings;
  private final HttpTransport transport;
  private final Lifecycle lifecycle;
  private final int port;
  private final ShadowTraffic shadow;
  private final AtomicInteger stopped = new AtomicInteger();

  private InferenceServer(
      Settings settings,
      HttpTransport transport,
      Lifecycle lifecycle,
      int port,
      ShadowTraffic shadow) {
    this.settings = settings;
    this.transport = transport;
    this.lifecycle = lifecycle;
    this.port = port;
    this.shadow = shadow;
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
    DataPlane dataPlane =
        new DataPlane(
            model,
            lifecycle,
            metrics,
            settings.appVersion(),
            new InjectedErrors(settings.faultErrorFraction()));
    List<Endpoints> protocols =
        List.of(
            new PredictEndpoints(dataPlane, metrics),
            new V1Endpoints(dataPlane),
            new V2Endpoints(dataPlane));
    Routes routes = new Routes();
    protocols.forEach(p -> p.register(routes));
    ShadowTraffic shadow = shadow(settings, routes, metrics);
    HttpTransport transport = new HttpTransport(settings, routes, metrics);
    int port;
    try {
      port = transport.start();
    } catch (IOException e) {
      if (shadow != null) {
        shadow.close();
      }
      throw e;
    }
    InferenceServer server = new InferenceServer(settings, transport, lifecycle, port, shadow);
    LOG.info(
        "inference-app listening on {}:{} ({}) model={} version={} source={} {}",
        settings.bindAddress().getHostAddress(),
        port,
        transport.transportName(),
        model.name(),
        model.version(),
        model.source(),
        settings.describe());
    if (settings.injectsFaults()) {
      // Loud on purpose: these settings exist to test canary analysis, never for real traffic.
      LOG.warn(
          "injecting faults for testing, never set in production: {}", settings.describeFaults());
    }
    // The model is loaded before the server starts, so readiness only waits for the delay.
    lifecycle.start(true);
    Thread warmUp =
        new Thread(
            () -> {
              metrics.bindJvmMetrics();
              protocols.forEach(Endpoints::warmUp);
            },
            "warm-up");
    warmUp.setDaemon(true);
    warmUp.start();
    return server;
  }

  /**
   * With SHADOW_CONFIG_FILE, the answers of {@code /predict} and V1's predict are copied to the
   * target the file names; V2's {@code infer} is not (its answers have another shape and may carry
   * binary tensors). Null without it.
   */
  private static ShadowTraffic shadow(Settings settings, Routes routes, AppMetrics metrics) {
    if (settings.shadowConfigFile() == null) {
      return null;
    }
    ShadowTraffic shadow =
        ShadowTraffic.start(
            settings.shadowConfigFile(), settings.shadowQueueCapacity(), metrics.shadow());
    routes.tap(PredictEndpoints.PREDICT, shadow);
    routes.tap(V1Endpoints.MODEL_PREDICT, shadow);
    return shadow;
  }

  /** The shadow traffic, or null when SHADOW_CONFIG_FILE is unset; for tests. */
  ShadowTraffic shadow() {
    return shadow;
  }

  public int port() {
    return port;
  }

  /** Requests received in part or in full and not answered yet; for tests and logs. */
  long requestsInFlight() {
    return transport.requestsInFlight();
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** Stops with the configured drain and grace periods, as on SIGTERM. */
  public void stop() {
    stop(settings.shutdownDrain(), settings.shutdownGrace());
  }

  /** Stops without a drain: for tests and a simulated crash. */
  public void stop(Duration grace) {
    stop(Duration.ZERO, grace);
  }

  /**
   * Readiness goes false at once; for {@code drain} everything is still served (Kubernetes needs
   * that long to take the pod out of its endpoints), with Connection: close so keep-alive clients
   * reconnect elsewhere; then the listener closes and requests in flight get up to {@code grace}.
   */
  public void stop(Duration drain, Duration grace) {
    if (stopped.getAndIncrement() > 0) {
      return;
    }
    lifecycle.beginShutdown();
    transport.beginDrain();
    LOG.info(
        "shutting down: not ready; serving for {} s more (SHUTDOWN_DRAIN_SECONDS), then up to {} s"
            + " for requests in flight",
        drain.toMillis() / 1000.0,
        grace.toSeconds());
    if (!drain.isZero()) {
      try {
        // A fixed wait by design: the endpoint removal it covers cannot be observed from here.
        TimeUnit.NANOSECONDS.sleep(drain.toNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    transport.stopAccepting();
    LOG.info(
        "listener closed: {} connections open, {} requests in flight",
        transport.openConnections(),
        transport.requestsInFlight());
    if (!transport.awaitConnectionsClosed(grace)) {
      LOG.warn("closing connections still open after the grace period");
    }
    transport.close();
    if (shadow != null) {
      shadow.close();
    }
    lifecycle.close();
    LOG.info("stopped");
  }
}
