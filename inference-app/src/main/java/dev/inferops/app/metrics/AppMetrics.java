package dev.inferops.app.metrics;

import dev.inferops.app.model.Model;
import dev.inferops.app.routing.Route;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/** Prometheus metrics: requests and latency per route and status, predictions per label, ready. */
public final class AppMetrics {
  // Explicit buckets: a handful that bracket a sub-millisecond service instead of Micrometer's ~70.
  static final Duration[] BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(2),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofSeconds(2),
    Duration.ofSeconds(5)
  };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  // Building a meter id per request is measurable at tens of thousands of requests per second.
  private final ConcurrentHashMap<Route, AtomicReferenceArray<Timer>> timers =
      new ConcurrentHashMap<>();
  // Per predicted label; the heart model's two are registered up front, others on first sight.
  private final ConcurrentHashMap<Long, Counter> predictions = new ConcurrentHashMap<>();
  private final String modelName;
  private final Counter rows;
  private final ShadowMetrics shadow;

  public AppMetrics(Model model, BooleanSupplier ready) {
    // promtool's lint rejects these two names (an abbreviated unit; "_count" on a gauge); the
    // CPU time comes back below under the name Prometheus' own client libraries use.
    registry
        .config()
        .meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")))
        .meterFilter(
            new MeterFilter() {
              @Override
              public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
              }
            });
    this.modelName = model.name();
    if (model.description().labelOutput() >= 0) {
      for (long label = 0; label < 2; label++) {
        recordPrediction(label, 0);
      }
    }
    rows =
        Counter.builder("inference.rows")
            .description("Rows scored, in every protocol")
            .tag("model", model.name())
            .register(registry);
    Gauge.builder("inference.ready", () -> ready.getAsBoolean() ? 1 : 0)
        .description("1 when the app accepts predictions, else 0")
        .register(registry);
    Gauge.builder("inference.model.info", () -> 1)
        .description("The loaded model")
        .tag("model", model.name())
        .tag("version", model.version())
        .register(registry);
    shadow = new ShadowMetrics(registry, BUCKETS);
  }

  public ShadowMetrics shadow() {
    return shadow;
  }

  /**
   * The JVM, CPU and uptime meters: the platform MXBeans behind them take tens of milliseconds to
   * load, so the server binds them on a background thread once the port is open.
   */
  public void bindJvmMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> o.getProcessCpuTime() / 1e9)
          .baseUnit("seconds")
          .description("CPU time used by the process")
          .register(registry);
    }
  }

  /** Initialises Micrometer's classes ahead of use; see {@code HttpTransport.preload}. */
  public static void preload() {
    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
  }

  public void recordRequest(Route route, int status, long nanos) {
    AtomicReferenceArray<Timer> byStatus = timers.get(route);
    if (byStatus == null) {
      byStatus = timers.computeIfAbsent(route, r -> new AtomicReferenceArray<>(600));
    }
    Timer timer = byStatus.get(status);
    if (timer == null) {
      // Threads racing here register the same meter id, and the registry hands both one timer.
      timer = timer(route, status);
      byStatus.set(status, timer);
    }
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(Route route, int status) {
    return Timer.builder("http.server.requests")
        .description("HTTP requests by route and status")
        .tag("route", route.label())
        .tag("status", Integer.toString(status))
        .serviceLevelObjectives(BUCKETS)
        .register(registry);
  }

  public void recordPrediction(long label) {
    recordPrediction(label, 1);
  }

  private void recordPrediction(long label, int count) {
    Counter c = predictions.get(label);
    if (c == null) {
      c =
          predictions.computeIfAbsent(
              label,
              l ->
                  Counter.builder("inference.predictions")
                      .description("Predictions served, by predicted label")
                      .tag("model", modelName)
                      .tag("label", Long.toString(l))
                      .register(registry));
    }
    c.increment(count);
  }

  public void recordRows(int count) {
    rows.increment(count);
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    return registry.scrape();
  }
}
