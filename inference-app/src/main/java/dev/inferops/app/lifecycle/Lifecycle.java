package dev.inferops.app.lifecycle;

import dev.inferops.app.settings.Settings;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Readiness, liveness and the simulated failures: start delay, crash, shutdown. */
public final class Lifecycle implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

  private final Settings settings;
  private final IntConsumer exit;
  private final ScheduledExecutorService timer;

  private volatile boolean modelLoaded;
  private volatile boolean delayElapsed;
  private volatile boolean crashed;
  private volatile boolean shuttingDown;
  private volatile long readyAtNanos;

  /**
   * @param exit called with status 1 when CRASH_MODE=exit fires; the real app passes System::exit,
   *     tests something harmless
   */
  public Lifecycle(Settings settings, IntConsumer exit) {
    this.settings = settings;
    this.exit = exit;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lifecycle");
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the clocks for START_DELAY_SECONDS and CRASH_AFTER_SECONDS. */
  public void start(boolean modelIsLoaded) {
    this.modelLoaded = modelIsLoaded;
    Duration delay = settings.startDelay();
    readyAtNanos = System.nanoTime() + delay.toNanos();
    if (delay.isZero()) {
      becomeReady();
    } else {
      timer.schedule(this::becomeReady, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
    Duration crash = settings.crashAfter();
    if (!crash.isZero()) {
      timer.schedule(this::crash, crash.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void becomeReady() {
    delayElapsed = true;
    if (isReady()) {
      LOG.info("ready: serving predictions");
    }
  }

  private void crash() {
    if (shuttingDown) {
      return;
    }
    crashed = true;
    if (settings.crashMode() == Settings.CrashMode.EXIT) {
      LOG.error(
          "crashing as configured (CRASH_AFTER_SECONDS={}s, CRASH_MODE=exit): exiting with status 1",
          settings.crashAfter().toMillis() / 1000.0);
      exit.accept(1);
    } else {
      LOG.error(
          "crashing as configured (CRASH_AFTER_SECONDS={}s, CRASH_MODE=unhealthy): liveness now"
              + " answers 500",
          settings.crashAfter().toMillis() / 1000.0);
    }
  }

  public boolean isReady() {
    return modelLoaded && delayElapsed && !shuttingDown;
  }

  /**
   * Why predictions cannot be served yet, or null. Shutting down is not a reason: requests that
   * still arrive while the endpoints are being removed must be answered.
   */
  public String notServingReason() {
    return shuttingDown && modelLoaded && delayElapsed ? null : notReadyReason();
  }

  public boolean isHealthy() {
    return !crashed;
  }

  /** Why the app is not ready, for the 503 body; null when it is ready. */
  public String notReadyReason() {
    if (shuttingDown) {
      return "shutting down";
    }
    if (!modelLoaded) {
      return "model not loaded yet";
    }
    if (!delayElapsed) {
      long leftMillis = Math.max(0, (readyAtNanos - System.nanoTime()) / 1_000_000);
      return "starting up: ready in " + (leftMillis / 1000.0) + " s (START_DELAY_SECONDS)";
    }
    return null;
  }

  /** Turns readiness off so load balancers stop sending traffic while requests drain. */
  public void beginShutdown() {
    shuttingDown = true;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
