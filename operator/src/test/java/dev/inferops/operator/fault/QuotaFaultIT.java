package dev.inferops.operator.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ResourceQuota that forbids Services blocks an InferenceService: its Degraded condition and its
 * Event say so in one line, the operator keeps retrying, and once the quota is lifted the
 * InferenceService converges within a minute, not at the next periodic reconcile.
 */
class QuotaFaultIT {

  private static final Logger log = LoggerFactory.getLogger(QuotaFaultIT.class);
  private static final String NAME = "heart";
  private static final String MESSAGE =
      "Service heart: create forbidden: exceeded quota: noservices, requested: services=1, used:"
          + " services=0, limited: services=0";

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  @Test
  void aQuotaBlocksTheServiceUntilItIsLiftedThenItConvergesWithinAMinute() {
    cluster.apply(
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("noservices")
            .withNamespace(cluster.namespace())
            .endMetadata()
            .withNewSpec()
            .withHard(Map.of("services", new Quantity("0")))
            .endSpec()
            .build());
    // The quota controller fills in status.used; until then the API server admits nothing.
    await("quota in force")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              var quota = cluster.client().resourceQuotas().withName("noservices").get();
              return quota.getStatus() != null && quota.getStatus().getUsed() != null;
            });

    cluster.create(cluster.newInferenceService(NAME, 1, spec -> {}));

    await("the Degraded condition names the object, the operation and the quota")
        .atMost(OperatorExtension.TIMEOUT)
        .untilAsserted(
            () -> {
              InferenceService is = cluster.inferenceService(NAME).get();
              assertThat(is.getStatus()).isNotNull();
              assertThat(is.getStatus().getPhase()).isEqualTo(Phase.Degraded);
              assertThat(degraded(is).getMessage()).isEqualTo(MESSAGE);
              assertThat(degraded(is).getReason()).isEqualTo("ReconcileFailed");
            });
    await("a Warning Event carries the same line")
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(cluster.client().v1().events().list().getItems())
                    .filteredOn(e -> "Warning".equals(e.getType()))
                    .extracting(Event::getMessage)
                    .anyMatch(m -> m.endsWith(MESSAGE)));
    assertThat(cluster.client().v1().events().list().getItems())
        .extracting(Event::getMessage)
        .noneMatch(m -> m.contains("Exception") || m.contains("https://") || m.contains("\n"));

    // Long enough for several failed attempts, so the back-off is well under way.
    Instant lifted = Instant.now().plusSeconds(20);
    await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(lifted));
    assertThat(cluster.client().services().withName(NAME).get()).isNull();
    cluster.client().resourceQuotas().withName("noservices").delete();
    Instant removed = Instant.now();

    await("converges within 60 s of the quota going")
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(cluster.client().services().withName(NAME).get()).isNotNull();
              cluster.assertConverged(NAME, 1);
              assertThat(degraded(cluster.inferenceService(NAME).get()).getStatus())
                  .isEqualTo("False");
            });
    log.info(
        "converged {} ms after the quota was removed",
        Duration.between(removed, Instant.now()).toMillis());
  }

  private static Condition degraded(InferenceService is) {
    return is.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
