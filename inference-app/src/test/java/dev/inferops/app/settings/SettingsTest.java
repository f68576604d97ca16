package dev.inferops.app.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
  @Test
  void defaults() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.port()).isEqualTo(8000);
    assertThat(s.bindAddress().getHostAddress()).isEqualTo("0.0.0.0");
    assertThat(s.modelPath()).isNull();
    assertThat(s.startDelay()).isZero();
    assertThat(s.crashAfter()).isZero();
    assertThat(s.crashMode()).isEqualTo(Settings.CrashMode.UNHEALTHY);
    assertThat(s.httpThreads()).isGreaterThanOrEqualTo(1);
    assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(s.describe())
        .contains("PORT=8000", "CRASH_AFTER_SECONDS=0 (never)", "MODEL_PATH=(bundled)");
  }

  @Test
  void readsEveryKnob() {
    Settings s =
        Settings.fromEnv(
            Map.of(
                "PORT", "9090",
                "BIND_ADDRESS", "127.0.0.1",
                "MODEL_PATH", "/models/model.json",
                "START_DELAY_SECONDS", "1.5",
                "CRASH_AFTER_SECONDS", "30",
                "CRASH_MODE", "EXIT",
                "HTTP_THREADS", "3",
                "SHUTDOWN_GRACE_SECONDS", "5"));
    assertThat(s.port()).isEqualTo(9090);
    assertThat(s.bindAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(s.modelPath()).isEqualTo(Path.of("/models/model.json"));
    assertThat(s.startDelay()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.crashAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.crashMode()).isEqualTo(Settings.CrashMode.EXIT);
    assertThat(s.httpThreads()).isEqualTo(3);
    assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.describe()).contains("START_DELAY_SECONDS=1.5", "CRASH_MODE=exit");
  }

  @Test
  void shutdownAndHttpDefaults() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.shutdownDrain()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.maxConnections()).isEqualTo(1024);
    assertThat(s.appVersion()).isEqualTo("dev");
    assertThat(Settings.fromEnv(Map.of("APP_VERSION", "1.2.3+abc")).appVersion())
        .isEqualTo("1.2.3+abc");
    assertThat(Settings.fromEnv(Map.of("SHUTDOWN_DRAIN_SECONDS", "2.5")).shutdownDrain())
        .isEqualTo(Duration.ofMillis(2500));
  }

  @Test
  void defaultDrainShrinksToFitThePodsGracePeriod() {
    Settings s =
        Settings.fromEnv(
            Map.of("TERMINATION_GRACE_PERIOD_SECONDS", "5", "SHUTDOWN_GRACE_SECONDS", "2"));
    assertThat(s.shutdownDrain()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void faultInjectionIsOffByDefault() {
    Settings s = Settings.fromEnv(Map.of());
    assertThat(s.faultErrorFraction()).isZero();
    assertThat(s.faultDelay()).isZero();
    assertThat(s.injectsFaults()).isFalse();
    assertThat(s.describeFaults()).isEmpty();
    assertThat(s.describe())
        .contains("FAULT_INJECTION_ERROR_FRACTION=0 FAULT_INJECTION_DELAY_MILLIS=0");
    Settings blank =
        Settings.fromEnv(
            Map.of("FAULT_INJECTION_ERROR_FRACTION", " ", "FAULT_INJECTION_DELAY_MILLIS", ""));
    assertThat(blank.injectsFaults()).isFalse();
    // Zero, however written, is off too.
    assertThat(
            Settings.fromEnv(
                    Map.of(
                        "FAULT_INJECTION_ERROR_FRACTION",
                        "0.000",
                        "FAULT_INJECTION_DELAY_MILLIS",
                        "0"))
                .injectsFaults())
        .isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "0.25, 0.25",
    "1, 1",
    "1.0, 1",
    ".5, 0.5",
    "2.5e-1, 0.25",
    "0.000000001, 0.000000001",
    "0.5000000000000, 0.5",
  })
  void readsTheErrorFraction(String value, String expected) {
    Settings s = Settings.fromEnv(Map.of("FAULT_INJECTION_ERROR_FRACTION", value));
    assertThat(s.faultErrorFraction()).isEqualByComparingTo(new BigDecimal(expected));
    assertThat(s.injectsFaults()).isTrue();
    assertThat(s.describeFaults())
        .isEqualTo(
            "FAULT_INJECTION_ERROR_FRACTION="
                + expected
                + " (that fraction of prediction requests answers 500)");
    assertThat(s.describe()).contains("FAULT_INJECTION_ERROR_FRACTION=" + expected + " ");
  }

  @Test
  void theShadowIsOffUnlessAFileIsNamed() {
    Settings off = Settings.fromEnv(Map.of());
    assertThat(off.shadowConfigFile()).isNull();
    assertThat(off.shadowQueueCapacity()).isEqualTo(256);
    assertThat(off.describe()).endsWith("SHADOW_CONFIG_FILE=(off) SHADOW_QUEUE_CAPACITY=256");

    Settings on =
        Settings.fromEnv(
            Map.of(
                "SHADOW_CONFIG_FILE", "/etc/inferops/shadow/shadow.json",
                "SHADOW_QUEUE_CAPACITY", "8"));
    assertThat(on.shadowConfigFile()).isEqualTo(Path.of("/etc/inferops/shadow/shadow.json"));
    assertThat(on.shadowQueueCapacity()).isEqualTo(8);
    assertThatThrownBy(() -> Settings.fromEnv(Map.of("SHADOW_QUEUE_CAPACITY", "0")))
        .hasMessage("SHADOW_QUEUE_CAPACITY must be between 1 and 65536, got '0'");
  }

  @Test
  void readsTheDelay() {
    Settings s =
        Settings.fromEnv(
            Map.of("FAULT_INJECTION_DELAY_MILLIS", "250", "FAULT_INJECTION_ERROR_FRACTION", "0.1"));
    assertThat(s.faultDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.injectsFaults()).isTrue();
    assertThat(s.describeFaults())
        .isEqualTo(
            "FAULT_INJECTION_ERROR_FRACTION=0.1 (that fraction of prediction requests answers 500),"
                + " FAULT_INJECTION_DELAY_MILLIS=250 (every prediction request is answered that"
                + " much later)");
    assertThat(s.describe()).contains(" FAULT_INJECTION_DELAY_MILLIS=250 ");
    assertThat(Settings.fromEnv(Map.of("FAULT_INJECTION_DELAY_MILLIS", "60000")).faultDelay())
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void blankValuesCountAsUnset() {
    Settings s = Settings.fromEnv(Map.of("PORT", "", "CRASH_MODE", " ", "MODEL_PATH", ""));
    assertThat(s.port()).isEqualTo(8000);
    assertThat(s.crashMode()).isEqualTo(Settings.CrashMode.UNHEALTHY);
    assertThat(s.modelPath()).isNull();
  }

  @Test
  void acceptsIpv6AndLocalhost() {
    assertThat(Settings.fromEnv(Map.of("BIND_ADDRESS", "::")).bindAddress().isAnyLocalAddress())
        .isTrue();
    assertThat(
            Settings.fromEnv(Map.of("BIND_ADDRESS", "localhost")).bindAddress().isLoopbackAddress())
        .isTrue();
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "PORT, abc, PORT must be a whole number",
    "PORT, -1, PORT must be between 0 and 65535",
    "PORT, 70000, PORT must be between 0 and 65535",
    "START_DELAY_SECONDS, -1, START_DELAY_SECONDS must be between 0 and",
    "START_DELAY_SECONDS, soon, START_DELAY_SECONDS must be a number of seconds",
    "START_DELAY_SECONDS, NaN, START_DELAY_SECONDS must be a number of seconds",
    "CRASH_AFTER_SECONDS, -0.5, CRASH_AFTER_SECONDS must be between 0 and",
    "CRASH_AFTER_SECONDS, 1e9, CRASH_AFTER_SECONDS must be between 0 and",
    "CRASH_AFTER_SECONDS, ten, CRASH_AFTER_SECONDS must be a number of seconds",
    "CRASH_MODE, explode, CRASH_MODE must be 'unhealthy' or 'exit'",
    "BIND_ADDRESS, 999.1.1.1, BIND_ADDRESS must be an IP address",
    "BIND_ADDRESS, example.com, BIND_ADDRESS must be an IP address",
    "HTTP_THREADS, 0, HTTP_THREADS must be between 1 and 512",
    "SHUTDOWN_GRACE_SECONDS, 1.5, SHUTDOWN_GRACE_SECONDS must be a whole number",
    "SHUTDOWN_DRAIN_SECONDS, 40, must fit in TERMINATION_GRACE_PERIOD_SECONDS (30)",
    "SHUTDOWN_DRAIN_SECONDS, -1, SHUTDOWN_DRAIN_SECONDS must be between 0 and",
    "HTTP_REQUEST_TIMEOUT_SECONDS, 0, HTTP_REQUEST_TIMEOUT_SECONDS must be between 1 and",
    "HTTP_IDLE_TIMEOUT_SECONDS, x, HTTP_IDLE_TIMEOUT_SECONDS must be a whole number",
    "HTTP_MAX_CONNECTIONS, 0, HTTP_MAX_CONNECTIONS must be between 1 and",
    "APP_VERSION, a b, APP_VERSION must be 1 to 128 printable ASCII characters",
    "FAULT_INJECTION_ERROR_FRACTION, lots, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1 with at most 9 decimals",
    "FAULT_INJECTION_ERROR_FRACTION, NaN, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1",
    "FAULT_INJECTION_ERROR_FRACTION, 25%, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1",
    "FAULT_INJECTION_ERROR_FRACTION, -0.1, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1",
    "FAULT_INJECTION_ERROR_FRACTION, 1.0000000001, FAULT_INJECTION_ERROR_FRACTION must be a"
        + " number between 0 and 1",
    "FAULT_INJECTION_ERROR_FRACTION, 25, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1",
    "FAULT_INJECTION_ERROR_FRACTION, 1e-10, FAULT_INJECTION_ERROR_FRACTION must be a number"
        + " between 0 and 1 with at most 9 decimals",
    "FAULT_INJECTION_ERROR_FRACTION, 1e99999999999, FAULT_INJECTION_ERROR_FRACTION must be a"
        + " number between 0 and 1",
    "FAULT_INJECTION_DELAY_MILLIS, slow, FAULT_INJECTION_DELAY_MILLIS must be a whole number"
        + " between 0 and 60000",
    "FAULT_INJECTION_DELAY_MILLIS, 1.5, FAULT_INJECTION_DELAY_MILLIS must be a whole number"
        + " between 0 and 60000",
    "FAULT_INJECTION_DELAY_MILLIS, -1, FAULT_INJECTION_DELAY_MILLIS must be between 0 and 60000",
    "FAULT_INJECTION_DELAY_MILLIS, 60001, FAULT_INJECTION_DELAY_MILLIS must be between 0 and"
        + " 60000",
    "FAULT_INJECTION_DELAY_MILLIS, 99999999999, FAULT_INJECTION_DELAY_MILLIS must be a whole"
        + " number between 0 and 60000",
  })
  void rejectsInvalidValuesNamingTheVariable(String key, String value, String message) {
    assertThatThrownBy(() -> Settings.fromEnv(Map.of(key, value)))
        .isInstanceOf(Settings.SettingsException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("'" + value + "'");
  }
}
