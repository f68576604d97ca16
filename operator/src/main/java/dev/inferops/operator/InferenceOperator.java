package dev.inferops.operator;

import dev.inferops.operator.analysis.PodMetricsSource;
import dev.inferops.operator.analysis.PodMetricsSources;
import dev.inferops.operator.dependent.OwnedDependentFactory;
import dev.inferops.operator.events.CoalescingEventRecorder;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.events.KubernetesEventRecorder;
import dev.inferops.operator.reconciler.InferenceServiceReconciler;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.rollout.SmokeClients;
import dev.inferops.operator.rollout.SmokeTester;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running operator: the InferenceService controller plus its health and metrics endpoint. The
 * programmatic entry point, used by {@link InferenceOperatorMain} and by tests that run the
 * operator in-process; {@link #close()} stops both.
 */
public final class InferenceOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InferenceOperator.class);

  private final Operator operator;
  private final HttpEndpoints http;
  private final PrometheusMeterRegistry registry;
  private final OperatorSettings settings;
  private final AtomicBoolean leader;

  private InferenceOperator(
      Operator operator,
      HttpEndpoints http,
      PrometheusMeterRegistry registry,
      OperatorSettings settings,
      AtomicBoolean leader) {
    this.operator = operator;
    this.http = http;
    this.registry = registry;
    this.settings = settings;
    this.leader = leader;
  }

  /**
   * Starts the operator with the given client, which it does not close. Returns once the informers
   * have synced (or, with leader election, once it campaigns for the lease).
   */
  public static InferenceOperator start(KubernetesClient client, OperatorSettings settings) {
    return start(
        client,
        settings,
        SmokeClients.fromEnvironment(System.getenv(), client),
        PodMetricsSources.fromEnvironment(System.getenv(), client));
  }

  /**
   * As {@link #start(KubernetesClient, OperatorSettings)}, with the smoke requests sent through
   * {@code smokeClient} and the pods' metrics read through {@code metrics} (tests on simulated pods
   * pass ones that never open a socket).
   */
  public static InferenceOperator start(
      KubernetesClient client,
      OperatorSettings settings,
      SmokeClient smokeClient,
      PodMetricsSource metrics) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);

    AtomicBoolean leader = new AtomicBoolean(!settings.leaderElectionEnabled());
    EventRecorder events =
        new CoalescingEventRecorder(
            new KubernetesEventRecorder(client, settings.reportingInstance()));
    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withDependentResourceFactory(new OwnedDependentFactory(events))
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (settings.leaderElectionEnabled()) {
                o.withLeaderElectionConfiguration(leaderElection(settings, leader));
              }
            });
    operator.register(
        new InferenceServiceReconciler(events, new SmokeTester(smokeClient), metrics),
        c -> {
          if (settings.watchesAllNamespaces()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(settings.watchNamespaces());
          }
          c.withReconciliationMaxInterval(settings.reconcileInterval());
          c.withRetry(retry(settings));
        });

    HttpEndpoints http;
    try {
      http =
          HttpEndpoints.start(
              settings.bindAddress(), settings.httpPort(), () -> ready(operator, leader), registry);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot serve health endpoints", e);
    }
    // Before start, which may wait for the lease: with port 0 this line is how a standby's port
    // is found.
    log.info("Health and metrics endpoints on {}:{}", settings.bindAddress(), http.port());
    try {
      operator.start();
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
    log.info(
        "Inference operator started: namespaces {}, endpoints on {}:{}",
        settings.watchesAllNamespaces() ? "all" : settings.watchNamespaces(),
        settings.bindAddress(),
        http.port());
    return new InferenceOperator(operator, http, registry, settings, leader);
  }

  /**
   * Every failure is retried for as long as it lasts: a quota, a webhook or an unreachable API
   * server clear by themselves, and the periodic reconcile would otherwise take up to its interval.
   */
  static GenericRetry retry(OperatorSettings settings) {
    return new GenericRetry()
        .withoutMaxAttempts()
        .setInitialInterval(Duration.ofSeconds(1))
        .setIntervalMultiplier(2)
        .setMaxInterval(settings.retryMaxInterval().toMillis());
  }

  private static LeaderElectionConfiguration leaderElection(
      OperatorSettings settings, AtomicBoolean leader) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(
            OperatorSettings.LEASE_NAME)
        .withLeaseNamespace(settings.leaderElectionNamespace())
        .withIdentity(settings.leaderElectionIdentity())
        .withExitOnStopLeading(settings.exitOnLeadershipLoss())
        .withLeaseDuration(settings.leaseDuration())
        .withRenewDeadline(settings.renewDeadline())
        .withLeaderCallbacks(
            new LeaderCallbacks(
                () -> {
                  log.info("Acquired the lease {}", OperatorSettings.LEASE_NAME);
                  leader.set(true);
                },
                () -> {
                  log.info("Lost the lease {}", OperatorSettings.LEASE_NAME);
                  leader.set(false);
                },
                identity -> log.info("Lease {} held by {}", OperatorSettings.LEASE_NAME, identity)))
        .build();
  }

  /** Ready once started; a leader also needs healthy informers, a standby is ready as it is. */
  private static boolean ready(Operator operator, AtomicBoolean leader) {
    if (!operator.getRuntimeInfo().isStarted()) {
      return false;
    }
    return !leader.get() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** Whether /readyz answers 200. */
  public boolean isReady() {
    return ready(operator, leader);
  }

  /** Whether this instance reconciles (always true without leader election). */
  public boolean isLeader() {
    return leader.get();
  }

  /** The port the health and metrics endpoint listens on (useful with port 0). */
  public int httpPort() {
    return http.port();
  }

  /** Base URI of the health and metrics endpoint. */
  public URI httpUri() {
    String host = settings.bindAddress().equals("0.0.0.0") ? "127.0.0.1" : settings.bindAddress();
    return URI.create("http://" + host + ":" + http.port());
  }

  public PrometheusMeterRegistry meterRegistry() {
    return registry;
  }

  public Operator operator() {
    return operator;
  }

  public OperatorSettings settings() {
    return settings;
  }

  @Override
  public void close() {
    try {
      operator.stop();
    } finally {
      http.close();
    }
  }
}
