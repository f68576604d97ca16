package dev.inferops.app.faults;

import dev.inferops.app.settings.Settings;
import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FAULT_INJECTION_ERROR_FRACTION: which prediction requests fail on purpose, so that a canary's
 * error rate can be made worse than the stable pods'. Deterministic, not random: the n-th request
 * (counted from 1 over every prediction route) fails when floor(n × f) > floor((n - 1) × f), so of
 * the first N exactly floor(N × f) fail, evenly spread. The arithmetic is exact (f has at most nine
 * decimals, and the pattern repeats every 10^9 requests), so 0.57 of 100 is 57, never 56.
 */
public final class InjectedErrors {
  private static final long PERIOD =
      BigDecimal.TEN.pow(Settings.FAULT_FRACTION_MAX_DECIMALS).longValueExact();

  private final BigDecimal fraction;
  // Failures per PERIOD requests: f × 10^9.
  private final long perPeriod;
  private final AtomicLong requests = new AtomicLong();
  private final String message;

  public InjectedErrors(BigDecimal fraction) {
    this.fraction = fraction;
    this.perPeriod = fraction.movePointRight(Settings.FAULT_FRACTION_MAX_DECIMALS).longValueExact();
    if (perPeriod < 0 || perPeriod > PERIOD) {
      throw new IllegalArgumentException("fraction must be in [0, 1], got " + fraction);
    }
    this.message =
        "injected fault: FAULT_INJECTION_ERROR_FRACTION="
            + fraction.stripTrailingZeros().toPlainString()
            + " fails this share of prediction requests on purpose";
  }

  /** Counts one prediction request; true when it is one of those to fail. */
  public boolean next() {
    if (perPeriod == 0) {
      // Off: no shared counter on the hot path.
      return false;
    }
    long n = Math.floorMod(requests.incrementAndGet() - 1, PERIOD) + 1;
    // n × perPeriod ≤ 10^18: no overflow.
    return n * perPeriod / PERIOD > (n - 1) * perPeriod / PERIOD;
  }

  /** The error message of an injected failure; it names the setting. */
  public String message() {
    return message;
  }

  public BigDecimal fraction() {
    return fraction;
  }
}
