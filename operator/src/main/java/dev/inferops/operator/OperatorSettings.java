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
 * @param retryMaxInterval the longest back-off between two attempts of a failing reconcile, which
 *     is retried for as long as it fails: a failure whose cause cleared heals within this time
 * @param leaseDuration how long a lease not renewed keeps others from taking over
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    String bindAddress,
    int httpPort,
    boolean leaderElectionEnabled,
    String leaderElectionNamespace,
    String leaderElectionIdentity,
    boolean exitOnLeadershipLoss,
    Duration reconcileInterval,
    Duration retryMaxInterval,
    Duration leaseDuration,
    Duration renewDeadline) {

  public static final String LEASE_NAME = "inference-operator";
  public static final int DEFAULT_HTTP_PORT = 8080;
  public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofMinutes(10);

  /** Caps the back-off so that a cleared cause converges within a minute (the next attempt). */
  public static final Duration DEFAULT_RETRY_MAX_INTERVAL = Duration.ofSeconds(30);

  /**
   * A killed leader's lease expires after this; with the 2 s retry period of the standby a takeover
   * takes at most about 12 s (JOSDK's default of 15 s would allow 17 s).
   */
  public static final Duration DEFAULT_LEASE_DURATION = Duration.ofSeconds(10);

  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(7);

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
        DEFAULT_RECONCILE_INTERVAL,
        DEFAULT_RETRY_MAX_INTERVAL,
        DEFAULT_LEASE_DURATION,
        DEFAULT_RENEW_DEADLINE);
  }

  /**
   * Settings from the environment: WATCH_NAMESPACES, OPERATOR_BIND_ADDRESS, OPERATOR_HTTP_PORT,
   * LEADER_ELECTION_ENABLED, LEADER_ELECTION_NAMESPACE (else POD_NAMESPACE), POD_NAME (else
   * HOSTNAME), RECONCILE_INTERVAL_SECONDS, RETRY_MAX_INTERVAL_SECONDS,
   * LEADER_ELECTION_LEASE_SECONDS and LEADER_ELECTION_RENEW_DEADLINE_SECONDS.
   */
  public static OperatorSettings fromEnv(Map<String, String> env) {
    return new OperatorSettings(
        parseNamespaces(env.get("WATCH_NAMESPACES")),
        env.getOrDefault("OPERATOR_BIND_ADDRESS", "0.0.0.0"),
        Integer.parseInt(env.getOrDefault("OPERATOR_HTTP_PORT", "" + DEFAULT_HTTP_PORT).trim()),
        Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION_ENABLED", "false").trim()),
        firstNonBlank(env.get("LEADER_ELECTION_NAMESPACE"), env.get("POD_NAMESPACE")),
        firstNonBlank(env.get("POD_NAME"), env.get("HOSTNAME")),
        true,
        seconds(env, "RECONCILE_INTERVAL_SECONDS", DEFAULT_RECONCILE_INTERVAL),
        seconds(env, "RETRY_MAX_INTERVAL_SECONDS", DEFAULT_RETRY_MAX_INTERVAL),
        seconds(env, "LEADER_ELECTION_LEASE_SECONDS", DEFAULT_LEASE_DURATION),
        seconds(env, "LEADER_ELECTION_RENEW_DEADLINE_SECONDS", DEFAULT_RENEW_DEADLINE));
  }

  private static Duration seconds(Map<String, String> env, String name, Duration fallback) {
    String value = blankToNull(env.get(name));
    return value == null ? fallback : Duration.ofSeconds(Long.parseLong(value.trim()));
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

  public OperatorSettings withRetryMaxInterval(Duration interval) {
    return with(b -> b.retryMaxInterval = interval);
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
    Duration retryMaxInterval;
    Duration leaseDuration;
    Duration renewDeadline;

    Copy(OperatorSettings s) {
      watchNamespaces = s.watchNamespaces;
      bindAddress = s.bindAddress;
      httpPort = s.httpPort;
      leaderElectionEnabled = s.leaderElectionEnabled;
      leaderElectionNamespace = s.leaderElectionNamespace;
      leaderElectionIdentity = s.leaderElectionIdentity;
      exitOnLeadershipLoss = s.exitOnLeadershipLoss;
      reconcileInterval = s.reconcileInterval;
      retryMaxInterval = s.retryMaxInterval;
      leaseDuration = s.leaseDuration;
      renewDeadline = s.renewDeadline;
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
          reconcileInterval,
          retryMaxInterval,
          leaseDuration,
          renewDeadline);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private static String firstNonBlank(String a, String b) {
    return blankToNull(a) != null ? a.trim() : blankToNull(b) != null ? b.trim() : null;
  }
}
