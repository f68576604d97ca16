package dev.inferops.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.InferenceOperatorMain;
import dev.inferops.operator.OperatorSettings;
import dev.inferops.operator.testsupport.ChildOperator;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operators with leader election, as the chart's two replicas run: only the holder of the Lease
 * reconciles, and when it is killed (SIGKILL, so it never releases the Lease) the other takes over
 * within 15 seconds and brings a changed InferenceService to its new state.
 *
 * <p>The first operator is a child JVM running {@link InferenceOperatorMain} with the install's
 * environment variables, so it can really be killed; the second runs in-process. Each counts its
 * reconciliations in its own metrics: the child's are read from its /metrics endpoint.
 */
class LeaderElectionIT {

  private static final Logger log = LoggerFactory.getLogger(LeaderElectionIT.class);
  private static final String LEASE = OperatorSettings.LEASE_NAME;
  private static final String FIRST = "operator-first";
  private static final String SECOND = "operator-second";
  private static final String NAME = "heart";
  private static final Duration TAKEOVER = Duration.ofSeconds(15);

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withoutLocalOperator().namespacePerClass().build();

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItIsKilled() {
    ChildOperator first =
        cluster.startChildOperator(
            FIRST,
            Map.of(
                "LEADER_ELECTION_ENABLED",
                "true",
                "LEADER_ELECTION_NAMESPACE",
                cluster.namespace()));
    await("the first operator holds the Lease")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(holder()).isEqualTo(FIRST));

    InferenceOperator second =
        cluster.startOperator(
            cluster.client(),
            cluster
                .operatorSettings()
                .withLeaderElection(cluster.namespace(), SECOND)
                .withExitOnLeadershipLoss(false));
    await("the standby is ready").atMost(Duration.ofSeconds(60)).until(second::isReady);

    applyFromChart(1);
    await("the leader reconciles the InferenceService")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              cluster.assertConverged(NAME, 1);
              assertThat(first.reconciliations()).isPositive();
            });
    assertThat(holder()).isEqualTo(FIRST);
    assertThat(second.isLeader()).isFalse();
    assertThat(reconciliations(second)).as("reconciliations by the standby").isZero();

    // A kill, not a shutdown: the Lease is not released and has to expire.
    first.kill();
    Instant killed = Instant.now();
    applyFromChart(2);

    await("the standby takes over")
        .atMost(TAKEOVER)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              assertThat(holder()).isEqualTo(SECOND);
              assertThat(second.isLeader()).isTrue();
            });
    Duration takeover = Duration.between(killed, Instant.now());
    await("the new leader converges the changed InferenceService")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> cluster.assertConverged(NAME, 2));
    log.info(
        "{} took over from the killed {} in {} ms and converged after {} ms",
        SECOND,
        FIRST,
        takeover.toMillis(),
        Duration.between(killed, Instant.now()).toMillis());
    assertThat(takeover).isLessThan(TAKEOVER);
    assertThat(reconciliations(second)).isPositive();
    assertThat(cluster.client().apps().deployments().withName(NAME).get())
        .satisfies(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(2));
  }

  private static void applyFromChart(int replicas) {
    ChartRenderer.inferenceService(cluster.namespace(), NAME, "Deployment", replicas)
        .forEach(cluster::apply);
  }

  private static String holder() {
    Lease lease = cluster.client().leases().withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static double reconciliations(InferenceOperator operator) {
    List<Counter> counters =
        List.copyOf(
            operator.meterRegistry().find("operator.sdk.reconciliations.started").counters());
    return counters.stream().mapToDouble(Counter::count).sum();
  }
}
