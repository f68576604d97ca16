package dev.inferops.operator;

import dev.inferops.operator.events.KubernetesEventRecorder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * How the operator runs: namespaces, HTTP endpoint, leader election and resync interval.
 *
 * @param watchNamespaces namespaces to watch; empty means all namespaces
 * @param bindAddress address of the health and metrics endpoint
 * @param httpPort port of the health and metrics endpoint; 0 picks a free one
 * @param leaderElectionEnabled whether only the holder of the lease reconciles
 * @param leaderElectionNamespace namespace of the lease; null means the client's namespace
 * @param leaderElectionIdentity this instance's identity in the lease
 * @param exitOnLeadershipLoss whether to exit the JVM when the lease is lost (true in production,
 *     where Kubernetes restarts the pod; tests running in-process want false)
 * @param reconcileInterval the longest time between two reconciles of an unchanged resource
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    String bindAddress,
    int httpPort,
    boolean leaderElectionEnabled,
    String leaderElectionNamespace,
    String leaderElectionIdentity,
    boolean exitOnLeadershipLoss,
    Duration reconcileInterval) {

  public static final String LEASE_NAME = "inference-operator";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(10);

  public OperatorSettings {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  /** All namespaces, 0.0.0.0:8080, no leader election, a reconcile at least every 10 minutes. */
  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Set.of(),
        "0.0.0.0",
        DEFAULT_HTTP_PORT,
        false,
        null,
        null,
        false,
        DEFAULT_RECONCILE_INTERVAL);
  }

  /**
   * Settings from the environment: WATCH_NAMESPACES, OPERATOR_BIND_ADDRESS, OPERATOR_HTTP_PORT,
   * LEADER_ELECTION_ENABLED, LEADER_ELECTION_NAMESPACE (else POD_NAMESPACE), POD_NAME (else
   * HOSTNAME) and RECONCILE_INTERVAL_SECONDS.
   */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    String interval = blankToNull(env.get("RECONCILE_INTERVAL_SECONDS"));
    return new OperatorSettings(
        parseNamespaces(env.get("WATCH_NAMESPACES")),
        env.getOrDefault("OPERATOR_BIND_ADDRESS", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("OPERATOR_HTTP_PORT", "" + DEFAULT_HTTP_PORT).trim()),
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION_ENABLED", "false").trim()),
        firstNonBlank(env.get("LEADER_ELECTION_NAMESPACE"), env.get("POD_NAMESPACE")),
        firstNonBlank(env.get("POD_NAME"), env.get("HOSTNAME")),
        true,
        interval == null
            ? DEFAULT_RECONCILE_INTERVAL
            : Duration.ofSeconds(Long.parseLong(interval.trim())));
  }

  static Set<String> parseNamespaces(String value) {
    if (value == null) {
      return Set.of();
    }
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * This process's name in the Events it records: its identity (the pod's name from POD_NAME or
   * HOSTNAME), else the operator's name.
   */
  public String reportingInstance() {
    return leaderElectionIdentity == null
        ? KubernetesEventRecorder.COMPONENT
        : leaderElectionIdentity;
  }

  public boolean watchesAllNamespaces() {
    return watchNamespaces.isEmpty();
  }

  public OperatorSettings withWatchNamespaces(Set<String> namespaces) {
    return with(b -> b.watchNamespaces = namespaces);
  }

  public OperatorSettings withHttp(String bindAddress, int httpPort) {
    return with(
        b -> {
          b.bindAddress = bindAddress;
          b.httpPort = httpPort;
        });
  }

  /** Leader election on the lease {@value #LEASE_NAME} in the given namespace. */
  public OperatorSettings withLeaderElection(String namespace, String identity) {
    return with(
        b -> {
          b.leaderElectionEnabled = true;
          b.leaderElectionNamespace = namespace;
          b.leaderElectionIdentity = identity;
        });
  }

  public OperatorSettings withExitOnLeadershipLoss(boolean exit) {
    return with(b -> b.exitOnLeadershipLoss = exit);
  }

  public OperatorSettings withReconcileInterval(Duration interval) {
    return with(b -> b.reconcileInterval = interval);
  }

  /** A copy of these settings with the given change. */
  private OperatorSettings with(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The components of a settings record, open to change. */
  private static final class Copy {
    Set<String> watchNamespaces;
    String bindAddress;
    int httpPort;
    boolean leaderElectionEnabled;
    String leaderElectionNamespace;
    String leaderElectionIdentity;
    boolean exitOnLeadershipLoss;
    Duration reconcileInterval;

    Copy(OperatorSettings s) {
      watchNamespaces = s.watchNamespaces;
      bindAddress = s.bindAddress;
      httpPort = s.httpPort;
      leaderElectionEnabled = s.leaderElectionEnabled;
      leaderElectionNamespace = s.leaderElectionNamespace;
      leaderElectionIdentity = s.leaderElectionIdentity;
      exitOnLeadershipLoss = s.exitOnLeadershipLoss;
      reconcileInterval = s.reconcileInterval;
    }

    OperatorSettings build() {
      return new OperatorSettings(
          watchNamespaces,
          bindAddress,
          httpPort,
          leaderElectionEnabled,
          leaderElectionNamespace,
          leaderElectionIdentity,
          exitOnLeadershipLoss,
          reconcileInterval);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String firstNonBlank(String a, String b) {
    return blankToNull(a) != null ? a.trim() : blankToNull(b) != null ? b.trim() : null;
  }
}
