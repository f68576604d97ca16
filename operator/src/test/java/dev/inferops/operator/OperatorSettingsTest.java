package dev.inferops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void defaultsFromAnEmptyEnvironment() {
    OperatorSettings s = OperatorSettings.fromEnv(Map.of());
    assertThat(s.watchesAllNamespaces()).isTrue();
    assertThat(s.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(s.httpPort()).isEqualTo(8080);
    assertThat(s.leaderElectionEnabled()).isFalse();
    assertThat(s.exitOnLeadershipLoss()).isTrue();
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.retryMaxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAndLeaseTimingsFromTheEnvironment() {
    OperatorSettings s =
        OperatorSettings.fromEnv(
            Map.of(
                "RETRY_MAX_INTERVAL_SECONDS", "5",
                "LEADER_ELECTION_LEASE_SECONDS", "20",
                "LEADER_ELECTION_RENEW_DEADLINE_SECONDS", "15"));
    assertThat(s.retryMaxInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.renewDeadline()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void everyFailureIsRetriedForeverWithACappedBackOff() {
    var retry = InferenceOperator.retry(OperatorSettings.defaults()).initExecution();
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      delays.add(retry.nextDelay().orElseThrow());
    }
    assertThat(delays).startsWith(1000L, 1000L, 2000L, 4000L, 8000L, 16000L, 30000L);
    assertThat(delays).allMatch(d -> d <= 30000L);
    assertThat(retry.isLastAttempt()).isFalse();
  }

  @Test
  void readsTheEnvironment() {
    OperatorSettings s =
        OperatorSettings.fromEnv(
            Map.of(
                "WATCH_NAMESPACES", " ml, , prod ",
                "OPERATOR_HTTP_PORT", "9090",
                "OPERATOR_BIND_ADDRESS", "127.0.0.1",
                "LEADER_ELECTION_ENABLED", "true",
                "POD_NAMESPACE", "operators",
                "POD_NAME", "op-1",
                "HOSTNAME", "host",
                "RECONCILE_INTERVAL_SECONDS", "30"));
    assertThat(s.watchNamespaces()).isEqualTo(Set.of("ml", "prod"));
    assertThat(s.httpPort()).isEqualTo(9090);
    assertThat(s.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(s.leaderElectionEnabled()).isTrue();
    assertThat(s.leaderElectionNamespace()).isEqualTo("operators");
    assertThat(s.leaderElectionIdentity()).isEqualTo("op-1");
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void explicitLeaseNamespaceWinsAndHostnameIsTheFallbackIdentity() {
    OperatorSettings s =
        OperatorSettings.fromEnv(
            Map.of(
                "LEADER_ELECTION_NAMESPACE", "lease-ns",
                "POD_NAMESPACE", "operators",
                "HOSTNAME", "host"));
    assertThat(s.leaderElectionNamespace()).isEqualTo("lease-ns");
    assertThat(s.leaderElectionIdentity()).isEqualTo("host");
  }

  @Test
  void eventsReportThePodNameElseTheOperatorsName() {
    assertThat(OperatorSettings.fromEnv(Map.of("POD_NAME", "op-1")).reportingInstance())
        .isEqualTo("op-1");
    assertThat(OperatorSettings.fromEnv(Map.of("HOSTNAME", "host-1")).reportingInstance())
        .isEqualTo("host-1");
    assertThat(OperatorSettings.defaults().reportingInstance()).isEqualTo("inference-operator");
  }

  @Test
  void withersKeepTheOtherSettings() {
    OperatorSettings s =
        OperatorSettings.defaults()
            .withWatchNamespaces(Set.of("a"))
            .withHttp("127.0.0.1", 0)
            .withLeaderElection("ns", "me")
            .withReconcileInterval(Duration.ofSeconds(5));
    assertThat(s.watchNamespaces()).containsExactly("a");
    assertThat(s.httpPort()).isZero();
    assertThat(s.leaderElectionEnabled()).isTrue();
    assertThat(s.leaderElectionNamespace()).isEqualTo("ns");
    assertThat(s.exitOnLeadershipLoss()).isFalse();
    assertThat(s.reconcileInterval()).isEqualTo(Duration.ofSeconds(5));
  }
}
