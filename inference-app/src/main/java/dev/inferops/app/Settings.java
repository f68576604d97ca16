package dev.inferops.app;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The app's configuration, read once from environment variables. */
public record Settings(
    int port,
    InetAddress bindAddress,
    Path modelPath,
    Duration startDelay,
    Duration crashAfter,
    CrashMode crashMode,
    int httpThreads,
    Duration shutdownGrace) {

  /** What happens when CRASH_AFTER_SECONDS elapses. */
  public enum CrashMode {
    UNHEALTHY,
    EXIT
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  // A day is far beyond any sensible delay; the cap keeps Duration arithmetic trivially safe.
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(86_400);

  public static Settings fromEnv() {
    return fromEnv(System.getenv());
  }

  /** Reads the settings; blank values count as unset, as Kubernetes passes {@code value: ""}. */
  public static Settings fromEnv(Map<String, String> env) {
    int port = integer(env, "PORT", 8000, 0, 65535);
    InetAddress bind = address(env, "BIND_ADDRESS", "0.0.0.0");
    String model = get(env, "MODEL_PATH");
    Duration startDelay = seconds(env, "START_DELAY_SECONDS");
    Duration crashAfter = seconds(env, "CRASH_AFTER_SECONDS");
    CrashMode mode = crashMode(env);
    int threads =
        integer(
            env,
            "HTTP_THREADS",
            Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
            1,
            512);
    Duration grace = Duration.ofSeconds(integer(env, "SHUTDOWN_GRACE_SECONDS", 2, 0, 300));
    return new Settings(
        port,
        bind,
        model == null ? null : Path.of(model),
        startDelay,
        crashAfter,
        mode,
        threads,
        grace);
  }

  /** Every setting on one line, for the start-up log. */
  public String describe() {
    return "PORT="
        + port
        + " BIND_ADDRESS="
        + bindAddress.getHostAddress()
        + " MODEL_PATH="
        + (modelPath == null ? "(bundled)" : modelPath)
        + " START_DELAY_SECONDS="
        + secondsText(startDelay)
        + " CRASH_AFTER_SECONDS="
        + secondsText(crashAfter)
        + (crashAfter.isZero() ? " (never)" : "")
        + " CRASH_MODE="
        + crashMode.name().toLowerCase(Locale.ROOT)
        + " HTTP_THREADS="
        + httpThreads
        + " SHUTDOWN_GRACE_SECONDS="
        + shutdownGrace.toSeconds();
  }

  private static String secondsText(Duration d) {
    return BigDecimal.valueOf(d.toNanos(), 9).stripTrailingZeros().toPlainString();
  }

  private static String get(Map<String, String> env, String key) {
    String v = env.get(key);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static int integer(Map<String, String> env, String key, int fallback, int min, int max) {
    String v = get(env, key);
    if (v == null) {
      return fallback;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new SettingsException(key + " must be a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new SettingsException(
          key + " must be between " + min + " and " + max + ", got '" + v + "'");
    }
    return n;
  }

  private static Duration seconds(Map<String, String> env, String key) {
    String v = get(env, key);
    if (v == null) {
      return Duration.ZERO;
    }
    BigDecimal s;
    try {
      s = new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new SettingsException(key + " must be a number of seconds, got '" + v + "'");
    }
    if (s.signum() < 0 || s.compareTo(MAX_SECONDS) > 0) {
      throw new SettingsException(
          key + " must be between 0 and " + MAX_SECONDS + " seconds, got '" + v + "'");
    }
    return Duration.ofNanos(s.movePointRight(9).longValue());
  }

  private static CrashMode crashMode(Map<String, String> env) {
    String v = get(env, "CRASH_MODE");
    if (v == null) {
      return CrashMode.UNHEALTHY;
    }
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "unhealthy" -> CrashMode.UNHEALTHY;
      case "exit" -> CrashMode.EXIT;
      default ->
          throw new SettingsException("CRASH_MODE must be 'unhealthy' or 'exit', got '" + v + "'");
    };
  }

  private static InetAddress address(Map<String, String> env, String key, String fallback) {
    String v = get(env, key);
    String text = v == null ? fallback : v;
    // Only literals (and localhost): a DNS lookup at start-up could hang or resolve differently.
    boolean literal =
        IPV4.matcher(text).matches() || text.contains(":") || text.equals("localhost");
    if (literal) {
      try {
        return InetAddress.getByName(text);
      } catch (UnknownHostException e) {
        // Falls through to the message below.
      }
    }
    throw new SettingsException(
        key + " must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, got '" + text + "'");
  }

  /** A setting with a value the app cannot use; the message names the variable. */
  public static final class SettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SettingsException(String message) {
      super(message);
    }
  }
}
