package dev.inferops.app.shadow;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Picks a share of the answered requests by counting, not by chance: at rate r the n-th request is
 * copied when floor(n·r) moves, so 0.1 copies every tenth and a test knows which.
 */
final class Sampler {
  private final AtomicLong seen = new AtomicLong();

  boolean next(double rate) {
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    long n = seen.incrementAndGet();
    return Math.floor(n * rate) > Math.floor((n - 1) * rate);
  }
}
