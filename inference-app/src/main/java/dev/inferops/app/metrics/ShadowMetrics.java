package dev.inferops.app.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shadow traffic as the operator reads it from the live pods: copies sent, compared, agreed,
 * disagreed, dropped and failed, the preview's latency, and whether the settings file is on and
 * valid. Registered up front, so a scrape shows zeros before the first copy rather than nothing.
 */
public final class ShadowMetrics {
  private final Counter copied;
  private final Counter compared;
  private final Counter agreed;
  private final Counter disagreed;
  private final Counter dropped;
  private final Counter failed;
  private final Timer target;
  private final AtomicInteger enabled = new AtomicInteger();
  private final AtomicInteger configValid = new AtomicInteger(1);

  ShadowMetrics(MeterRegistry registry, Duration[] buckets) {
    copied = counter(registry, "copied", "Prediction requests copied to the shadow target");
    compared = counter(registry, "compared", "Shadow answers compared with the live answer");
    agreed = counter(registry, "agreed", "Shadow answers that agreed with the live answer");
    disagreed = counter(registry, "disagreed", "Shadow answers that differed from the live one");
    dropped = counter(registry, "dropped", "Copies not sent because the shadow queue was full");
    failed = counter(registry, "failed", "Copies the target did not answer with 200 (or in time)");
    target =
        Timer.builder("inference.shadow.target.duration")
            .description("How long the shadow target took to answer a copy")
            .serviceLevelObjectives(buckets)
            .register(registry);
    Gauge.builder("inference.shadow.enabled", enabled, AtomicInteger::get)
        .description("1 while prediction requests are copied to a shadow target, else 0")
        .register(registry);
    Gauge.builder("inference.shadow.config.valid", configValid, AtomicInteger::get)
        .description("0 while the shadow settings file is invalid (the shadow is then off)")
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String name, String description) {
    return Counter.builder("inference.shadow." + name).description(description).register(registry);
  }

  public void copied() {
    copied.increment();
  }

  public void agreed() {
    compared.increment();
    agreed.increment();
  }

  public void disagreed() {
    compared.increment();
    disagreed.increment();
  }

  public void dropped() {
    dropped.increment();
  }

  public void failed() {
    failed.increment();
  }

  public void targetAnswered(long nanos) {
    target.record(nanos, TimeUnit.NANOSECONDS);
  }

  public void state(boolean on, boolean valid) {
    enabled.set(on ? 1 : 0);
    configValid.set(valid ? 1 : 0);
  }
}
