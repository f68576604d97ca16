package dev.inferops.operator.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Numbers as the verdict messages write them, the same in every locale. */
public final class MessageNumbers {

  private MessageNumbers() {}

  /** An error rate: one decimal, {@code 12.0}. */
  static String rate(double percent) {
    return String.format(Locale.ROOT, "%.1f", percent);
  }

  /**
   * A share as a percentage with one decimal, rounded down so that anything short of all reads
   * below 100: {@code 99.9}, {@code 100.0}.
   */
  public static String share(long part, long whole) {
    return BigDecimal.valueOf(part * 100.0 / whole).setScale(1, RoundingMode.DOWN).toPlainString();
  }

  /** A count with thousands separated as in English: {@code 1,208}. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A configured limit as written in the spec: {@code 1}, {@code 0.5}. */
  public static String limit(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /**
   * Milliseconds: whole above 10 ms ({@code 412}), one decimal below, where the app's own
   * sub-millisecond latencies would otherwise all read 0 ({@code 0.4}, {@code 3}, {@code 2.5}).
   */
  static String millis(double ms) {
    int scale = ms >= 10 ? 0 : 1;
    BigDecimal rounded = BigDecimal.valueOf(ms).setScale(scale, RoundingMode.HALF_UP);
    return rounded.stripTrailingZeros().toPlainString();
  }
}
