package dev.inferops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
