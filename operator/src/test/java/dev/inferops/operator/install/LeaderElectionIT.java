package dev.inferops.operator.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.InferenceOperatorMain;
import dev.inferops.operator.OperatorSettings;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two operators with leader election, as the chart's two replicas run: only the holder of the Lease
 * reconciles, and when it is killed (SIGKILL, so it never releases the Lease) the other takes over
 * within 30 seconds and brings a changed InferenceService to its new state.
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
  private static final String RECONCILIATIONS = "operator_sdk_reconciliations_started_total";

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withoutLocalOperator().namespacePerClass().build();

  private static Process first;
  private static int firstPort;
  private static InferenceOperator second;

  @AfterAll
  static void stopTheChildOperator() {
    if (first != null) {
      first.destroyForcibly();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItIsKilled() throws Exception {
    first = startChildOperator(FIRST);
    await("the first operator holds the Lease")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(() -> assertThat(holder()).isEqualTo(FIRST));

    second =
        cluster.startOperator(
            cluster.client(),
            cluster
                .operatorSettings()
                .withLeaderElection(cluster.namespace(), SECOND)
                .withExitOnLeadershipLoss(false));
    await("the standby is ready").atMost(Duration.ofSeconds(60)).until(() -> second.isReady());

    applyFromChart(1);
    await("the leader reconciles the InferenceService")
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              cluster.assertConverged(NAME, 1);
              assertThat(childReconciliations()).isPositive();
            });
    assertThat(holder()).isEqualTo(FIRST);
    assertThat(second.isLeader()).isFalse();
    assertThat(reconciliations(second)).as("reconciliations by the standby").isZero();

    // A kill, not a shutdown: the Lease is not released and has to expire.
    first.destroyForcibly().waitFor();
    Instant killed = Instant.now();
    applyFromChart(2);

    await("the standby takes over and the InferenceService converges")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(holder()).isEqualTo(SECOND);
              assertThat(second.isLeader()).isTrue();
              cluster.assertConverged(NAME, 2);
            });
    log.info(
        "{} took over from the killed {} and converged in {} ms",
        SECOND,
        FIRST,
        Duration.between(killed, Instant.now()).toMillis());
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

  /** {@link InferenceOperatorMain} in a child JVM, configured as the chart configures a pod. */
  private static Process startChildOperator(String identity) throws IOException {
    firstPort = freePort();
    Path logFile =
        Repository.root()
            .resolve("operator/target/it-logs")
            .resolve(cluster.namespace() + "-" + identity + ".log");
    Files.createDirectories(logFile.getParent());
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                InferenceOperatorMain.class.getName())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile());
    Map<String, String> env = builder.environment();
    env.put("WATCH_NAMESPACES", cluster.namespace());
    env.put("LEADER_ELECTION_ENABLED", "true");
    env.put("LEADER_ELECTION_NAMESPACE", cluster.namespace());
    env.put("POD_NAME", identity);
    env.put("POD_NAMESPACE", cluster.namespace());
    env.put("OPERATOR_BIND_ADDRESS", "127.0.0.1");
    env.put("OPERATOR_HTTP_PORT", String.valueOf(firstPort));
    env.put("LOG_LEVEL", "info");
    Process process = builder.start();
    log.info("started {} as PID {}, log {}", identity, process.pid(), logFile);
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Reconciliations the child operator started, from its Prometheus endpoint. */
  private static double childReconciliations() {
    try {
      String metrics =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + firstPort + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return metrics
          .lines()
          .filter(line -> line.startsWith(RECONCILIATIONS))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static double reconciliations(InferenceOperator operator) {
    List<Counter> counters =
        List.copyOf(
            operator.meterRegistry().find("operator.sdk.reconciliations.started").counters());
    return counters.stream().mapToDouble(Counter::count).sum();
  }
}
