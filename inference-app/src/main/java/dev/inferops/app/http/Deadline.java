package dev.inferops.app.http;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One connection's deadline: the request's or the idle one. Scheduling and cancelling a task per
 * request costs a tenth of the CPU at high rates, so one task per connection checks the deadline
 * instead and, while it lies ahead, re-arms itself at most {@code tick} later: a deadline moved
 * earlier is still met on time. Runs on the connection's event loop only.
 */
final class Deadline {
  private final EventExecutor executor;
  private final long tick;
  private final BooleanSupplier closing;
  private final Runnable expired;
  private ScheduledFuture<?> timer;
  private long deadline = Long.MAX_VALUE;

  /**
   * @param closing true once the connection is closing, when nothing is due any more
   * @param expired what to do when the deadline passes
   */
  Deadline(EventExecutor executor, Duration tick, BooleanSupplier closing, Runnable expired) {
    this.executor = executor;
    this.tick = tick.toNanos();
    this.closing = closing;
    this.expired = expired;
  }

  void arm(Duration after) {
    deadline = System.nanoTime() + after.toNanos();
    if (timer == null) {
      timer = executor.schedule(this::check, Math.min(after.toNanos(), tick), TimeUnit.NANOSECONDS);
    }
  }

  /** Nothing is due until the next {@link #arm}. */
  void cancel() {
    deadline = Long.MAX_VALUE;
  }

  /** Cancels, and drops the scheduled check: the connection is gone. */
  void stop() {
    cancel();
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void check() {
    timer = null;
    if (closing.getAsBoolean() || deadline == Long.MAX_VALUE) {
      return;
    }
    long left = deadline - System.nanoTime();
    if (left > 0) {
      timer = executor.schedule(this::check, Math.min(left, tick), TimeUnit.NANOSECONDS);
      return;
    }
    expired.run();
  }
}
