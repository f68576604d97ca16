package dev.inferops.app.settings;

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
    int modelMaxMb,
    Duration startDelay,
    Duration crashAfter,
    CrashMode crashMode,
    int httpThreads,
    Duration shutdownGrace,
    Duration shutdownDrain,
    Duration requestTimeout,
    Duration idleTimeout,
    int maxConnections,
    String appVersion,
    BigDecimal faultErrorFraction,
    Duration faultDelay,
    Path shadowConfigFile,
    int shadowQueueCapacity) {

  /** What happens when CRASH_AFTER_SECONDS elapses. */
  public enum CrashMode {
    UNHEALTHY,
    EXIT
  }

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  // The Kubernetes default of terminationGracePeriodSeconds.
  static final int DEFAULT_TERMINATION_GRACE = 30;
  static final BigDecimal DEFAULT_DRAIN_SECONDS = BigDecimal.valueOf(10);
  private static final Pattern VERSION = Pattern.compile("[\\x21-\\x7e]{1,128}");
  // A day is far beyond any sensible delay; the cap keeps Duration arithmetic trivially safe.
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(86_400);
  // The error fraction is applied with exact integer arithmetic over a period of 10^9 requests.
  public static final int FAULT_FRACTION_MAX_DECIMALS = 9;
  // A minute is beyond any latency a canary analysis needs to see, and within every drain.
  static final int MAX_FAULT_DELAY_MILLIS = 60_000;

  public static Settings fromEnv() {
    return fromEnv(System.getenv());
  }

  /** Reads the settings; blank values count as unset, as Kubernetes passes {@code value: ""}. */
  public static Settings fromEnv(Map<String, String> env) {
    int port = integer(env, "PORT", 8000, 0, 65535);
    InetAddress bind = address(env, "BIND_ADDRESS", "0.0.0.0");
    String model = get(env, "MODEL_PATH");
    // ONNX Runtime holds a model several times its file's size; the cap turns a file that cannot
    // fit into one clear line instead of an out-of-memory kill.
    int modelMaxMb = integer(env, "MODEL_MAX_MB", 512, 1, 65_536);
    Duration startDelay = seconds(env, "START_DELAY_SECONDS");
    Duration crashAfter = seconds(env, "CRASH_AFTER_SECONDS");
    CrashMode mode = crashMode(env);
    // Event loops never block, so one per core is enough; more only adds context switches.
    int threads =
        integer(
            env, "HTTP_THREADS", Math.max(1, Runtime.getRuntime().availableProcessors()), 1, 512);
    Duration grace = Duration.ofSeconds(integer(env, "SHUTDOWN_GRACE_SECONDS", 2, 0, 300));
    Duration drain = drain(env, grace);
    Duration requestTimeout =
        Duration.ofSeconds(integer(env, "HTTP_REQUEST_TIMEOUT_SECONDS", 10, 1, 3600));
    Duration idleTimeout =
        Duration.ofSeconds(integer(env, "HTTP_IDLE_TIMEOUT_SECONDS", 60, 1, 3600));
    int maxConnections = integer(env, "HTTP_MAX_CONNECTIONS", 1024, 1, 1_000_000);
    String appVersion = appVersion(env);
    BigDecimal faultErrorFraction = fraction(env, "FAULT_INJECTION_ERROR_FRACTION");
    Duration faultDelay =
        Duration.ofMillis(
            integer(env, "FAULT_INJECTION_DELAY_MILLIS", 0, 0, MAX_FAULT_DELAY_MILLIS));
    // Only the file's path: what it says is read at run time, so the shadow starts and stops
    // without a restart (see ShadowTraffic).
    String shadowFile = get(env, "SHADOW_CONFIG_FILE");
    int shadowQueue = integer(env, "SHADOW_QUEUE_CAPACITY", 256, 1, 65_536);
    return new Settings(
        port,
        bind,
        model == null ? null : Path.of(model),
        modelMaxMb,
        startDelay,
        crashAfter,
        mode,
        threads,
        grace,
        drain,
        requestTimeout,
        idleTimeout,
        maxConnections,
        appVersion,
        faultErrorFraction,
        faultDelay,
        shadowFile == null ? null : Path.of(shadowFile),
        shadowQueue);
  }

  /** True when either fault-injection setting is on. */
  public boolean injectsFaults() {
    return faultErrorFraction.signum() > 0 || !faultDelay.isZero();
  }

  /** The fault-injection settings that are on, for the start-up warning; empty when none is. */
  public String describeFaults() {
    StringBuilder b = new StringBuilder();
    if (faultErrorFraction.signum() > 0) {
      b.append("FAULT_INJECTION_ERROR_FRACTION=")
          .append(faultErrorFraction.toPlainString())
          .append(" (that fraction of prediction requests answers 500)");
    }
    if (!faultDelay.isZero()) {
      b.append(b.length() == 0 ? "" : ", ")
          .append("FAULT_INJECTION_DELAY_MILLIS=")
          .append(faultDelay.toMillis())
          .append(" (every prediction request is answered that much later)");
    }
    return b.toString();
  }

  /**
   * The drain must end, and the requests in flight with it, before the kubelet's SIGKILL: the
   * default shrinks to fit TERMINATION_GRACE_PERIOD_SECONDS, an explicit value that cannot fit is
   * an error.
   */
  private static Duration drain(Map<String, String> env, Duration grace) {
    int podGrace =
        integer(env, "TERMINATION_GRACE_PERIOD_SECONDS", DEFAULT_TERMINATION_GRACE, 1, 86_400);
    // One second for closing connections and the JVM's own exit.
    long budgetNanos = Duration.ofSeconds(podGrace).minus(grace).minusSeconds(1).toNanos();
    if (get(env, "SHUTDOWN_DRAIN_SECONDS") == null) {
      long fit =
          Math.max(0, Math.min(budgetNanos, DEFAULT_DRAIN_SECONDS.movePointRight(9).longValue()));
      return Duration.ofNanos(fit);
    }
    Duration drain = seconds(env, "SHUTDOWN_DRAIN_SECONDS");
    if (drain.toNanos() > budgetNanos) {
      throw new SettingsException(
          "SHUTDOWN_DRAIN_SECONDS plus SHUTDOWN_GRACE_SECONDS plus 1 s must fit in"
              + " TERMINATION_GRACE_PERIOD_SECONDS ("
              + podGrace
              + "), got '"
              + get(env, "SHUTDOWN_DRAIN_SECONDS")
              + "'");
    }
    return drain;
  }

  /** APP_VERSION, else the jar's Implementation-Version, else "dev" (tests, IDE runs). */
  private static String appVersion(Map<String, String> env) {
    String v = get(env, "APP_VERSION");
    if (v == null) {
      String manifest = Settings.class.getPackage().getImplementationVersion();
      return manifest == null || manifest.isBlank() ? "dev" : manifest;
    }
    // It goes into a response header: printable ASCII only, so no header injection is possible.
    if (!VERSION.matcher(v).matches()) {
      throw new SettingsException(
          "APP_VERSION must be 1 to 128 printable ASCII characters without spaces, got '"
              + v
              + "'");
    }
    return v;
  }

  /** Every setting on one line, for the start-up log. */
  public String describe() {
    return "PORT="
        + port
        + " BIND_ADDRESS="
        + bindAddress.getHostAddress()
        + " MODEL_PATH="
        + (modelPath == null ? "(bundled)" : modelPath)
        + " MODEL_MAX_MB="
        + modelMaxMb
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
        + shutdownGrace.toSeconds()
        + " SHUTDOWN_DRAIN_SECONDS="
        + secondsText(shutdownDrain)
        + " HTTP_REQUEST_TIMEOUT_SECONDS="
        + requestTimeout.toSeconds()
        + " HTTP_IDLE_TIMEOUT_SECONDS="
        + idleTimeout.toSeconds()
        + " HTTP_MAX_CONNECTIONS="
        + maxConnections
        + " APP_VERSION="
        + appVersion
        + " FAULT_INJECTION_ERROR_FRACTION="
        + faultErrorFraction.toPlainString()
        + " FAULT_INJECTION_DELAY_MILLIS="
        + faultDelay.toMillis()
        + " SHADOW_CONFIG_FILE="
        + (shadowConfigFile == null ? "(off)" : shadowConfigFile)
        + " SHADOW_QUEUE_CAPACITY="
        + shadowQueueCapacity;
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
      throw new SettingsException(
          key + " must be a whole number between " + min + " and " + max + ", got '" + v + "'");
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

  /**
   * A fraction in [0, 1] with at most {@link #FAULT_FRACTION_MAX_DECIMALS} decimals; 0 if unset.
   */
  private static BigDecimal fraction(Map<String, String> env, String key) {
    String v = get(env, key);
    if (v == null) {
      return BigDecimal.ZERO;
    }
    String allowed =
        key
            + " must be a number between 0 and 1 with at most "
            + FAULT_FRACTION_MAX_DECIMALS
            + " decimals, got '"
            + v
            + "'";
    BigDecimal f;
    try {
      f = new BigDecimal(v).stripTrailingZeros();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new SettingsException(allowed);
    }
    if (f.signum() < 0 || f.compareTo(BigDecimal.ONE) > 0) {
      throw new SettingsException(allowed);
    }
    if (f.signum() == 0) {
      return BigDecimal.ZERO;
    }
    if (f.scale() > FAULT_FRACTION_MAX_DECIMALS) {
      throw new SettingsException(allowed);
    }
    return f;
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
