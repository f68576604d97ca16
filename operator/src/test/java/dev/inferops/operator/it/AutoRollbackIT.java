package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.status.Conditions;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With strategy.autoRollback a rolling update that exceeds its progress deadline is reverted to the
 * last revision that was fully available; a retry or a spec change tries again.
 */
class AutoRollbackIT {

  private static final Duration RESYNC = Duration.ofSeconds(2);
  private static final Map<String, String> NO_SUCH_NODE =
      Map.of("inferops.dev/no-such-node", "true");

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator()
          .operatorSettings(s -> s.withReconcileInterval(RESYNC))
          .build();

  @Test
  void aStuckRolloutIsRolledBackToTheLastAvailableRevisionUntilRetriedOrFixed() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            // One old pod goes at once, so the rollback has to scale the old ReplicaSet up.
            spec ->
                spec.setStrategy(
                    Fixtures.rollingUpdate().withMaxUnavailable(new IntOrString(1)).build())));
    cluster.awaitPhase("heart", Phase.Ready);
    String v1 = revision(cluster.livePods("heart").get(0));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              RollingUpdateStatus rolling = status().getRollingUpdate();
              assertThat(rolling).isNotNull();
              assertThat(rolling.getAvailableRevision()).isEqualTo(v1);
              assertThat(rolling.getAvailableImage()).isEqualTo(IMAGE_V1);
              assertThat(rolling.getFailedRevision()).isNull();
            });

    // Turned on with the broken change itself: the available revision was recorded without it.
    cluster.editSpec(
        "heart",
        spec -> {
          spec.getStrategy().setAutoRollback(true);
          spec.getStrategy().setProgressDeadlineSeconds(5);
          spec.setImage(IMAGE_V2);
          spec.setNodeSelector(NO_SUCH_NODE);
        });
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(template().getSpec().getNodeSelector())
                    .as("the new template was applied first")
                    .isEqualTo(NO_SUCH_NODE));

    RollingUpdateStatus failed = awaitRolledBackToV1(v1);
    String v2 = failed.getFailedRevision();
    assertThat(v2).isNotEqualTo(v1).hasSize(10);
    assertThat(failed.getFailedImage()).isEqualTo(IMAGE_V2);
    assertThat(failed.getFailureMessage()).contains("Unschedulable");
    assertThat(failed.getRolledBackAt()).isNotBlank();
    Condition degraded = condition(Conditions.DEGRADED);
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("RolledBack");
    assertThat(degraded.getMessage())
        .doesNotContain("\n")
        .contains("revision " + v2 + " (" + IMAGE_V2 + ") exceeded its progress deadline")
        .contains("Unschedulable")
        .contains("rolled back to revision " + v1 + " (" + IMAGE_V1 + ")")
        .contains("a spec change or the annotation inferops.dev/retry tries again");
    assertThat(condition(Conditions.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(condition(Conditions.PROGRESSING).getReason()).isEqualTo("RolledBack");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(warnings("RolledBack")).hasSize(1));
    // The condition may since have added the Deployment controller's own report of the timeout.
    assertThat(degraded.getMessage()).startsWith(warnings("RolledBack").get(0));

    assertNothingIsWrittenWhileRolledBack();
    assertThat(warnings("RolledBack")).as("the rollback is announced once").hasSize(1);

    // A restarted operator resumes from the status: it keeps the rollback and writes nothing.
    String before = versions();
    cluster.operator().close();
    InferenceOperator restarted =
        cluster.startOperator(
            cluster.client(), cluster.operatorSettings().withReconcileInterval(RESYNC));
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(reconciles(restarted)).isGreaterThan(3));
    assertThat(versions()).isEqualTo(before);
    assertThat(warnings("RolledBack")).hasSize(1);

    // The retry command applies the failed template once more; it fails and is rolled back again.
    String firstRollback = failed.getRolledBackAt();
    cluster
        .inferenceService("heart")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + ResourceNaming.ANNOTATION_RETRY
                + "\":\"true\"}}}");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(cluster.inferenceService("heart").get().getMetadata().getAnnotations())
                  .as("the command is consumed")
                  .doesNotContainKey(ResourceNaming.ANNOTATION_RETRY);
              assertThat(events("RolloutRetried")).hasSize(1);
            });
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(warnings("RolledBack")).hasSize(2));
    RollingUpdateStatus again = awaitRolledBackToV1(v1);
    assertThat(again.getFailedRevision()).isEqualTo(v2);
    assertThat(again.getRolledBackAt()).isNotEqualTo(firstRollback);

    // A fixed spec is a new template: a normal rolling update.
    cluster.editSpec("heart", spec -> spec.setNodeSelector(null));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              cluster.assertConverged("heart", 2);
              RollingUpdateStatus rolling = status().getRollingUpdate();
              assertThat(rolling.getFailedRevision()).isNull();
              assertThat(rolling.getRolledBackAt()).isNull();
              assertThat(rolling.getAvailableRevision()).isNotIn(v1, v2);
              assertThat(rolling.getAvailableImage()).isEqualTo(IMAGE_V2);
            });
    assertThat(cluster.livePods("heart"))
        .allSatisfy(p -> assertThat(PodStates.image(p)).isEqualTo(IMAGE_V2));
    assertThat(warnings("RolledBack")).hasSize(2);
  }

  @Test
  void theFirstRolloutHasNothingToGoBackTo() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            1,
            spec -> {
              spec.setStrategy(
                  Fixtures.autoRollbackStrategy().withProgressDeadlineSeconds(5).build());
              spec.setNodeSelector(NO_SUCH_NODE);
            }));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(status().getPhase()).isEqualTo(Phase.Degraded);
              Condition degraded = condition(Conditions.DEGRADED);
              assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
              assertThat(degraded.getMessage())
                  .contains("Unschedulable")
                  .contains("not rolled back: no earlier revision was fully available");
            });
    assertThat(template().getSpec().getNodeSelector()).isEqualTo(NO_SUCH_NODE);
    assertThat(status().getRollingUpdate().getRolledBackAt()).isNull();
    assertThat(warnings("RolledBack")).isEmpty();
  }

  /** Waits for the Deployment and all its pods back on revision v1, and returns the status. */
  private RollingUpdateStatus awaitRolledBackToV1(String v1) {
    AtomicReference<RollingUpdateStatus> result = new AtomicReference<>();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              PodTemplateSpec template = template();
              assertThat(template.getSpec().getNodeSelector()).isNullOrEmpty();
              assertThat(template.getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE_V1);
              assertThat(
                      template
                          .getMetadata()
                          .getAnnotations()
                          .get(ResourceNaming.ANNOTATION_TEMPLATE_HASH))
                  .startsWith(v1);
              List<Pod> pods = cluster.livePods("heart");
              assertThat(pods).hasSize(2);
              assertThat(pods)
                  .allSatisfy(
                      p -> {
                        assertThat(PodStates.isReady(p)).as("ready").isTrue();
                        assertThat(revision(p)).isEqualTo(v1);
                        assertThat(p.getSpec().getNodeSelector()).isNullOrEmpty();
                      });
              InferenceServiceStatus status = status();
              assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
              assertThat(status.getReadyReplicas()).isEqualTo(2);
              assertThat(condition(Conditions.DEGRADED).getReason()).isEqualTo("RolledBack");
              assertThat(status.getRollingUpdate().getFailedRevision()).isNotNull();
              assertThat(status.getRollingUpdate().getRolledBackAt()).isNotNull();
              result.set(status.getRollingUpdate());
            });
    return result.get();
  }

  /** Two resyncs apart, neither the InferenceService nor its Deployment changes. */
  private void assertNothingIsWrittenWhileRolledBack() {
    AtomicReference<String> settled = new AtomicReference<>("");
    await()
        .pollInterval(RESYNC)
        .atMost(Duration.ofSeconds(30))
        .until(() -> settled.getAndSet(versions()).equals(settled.get()));
    String before = versions();
    await()
        .pollDelay(RESYNC.multipliedBy(3))
        .atMost(RESYNC.multipliedBy(4))
        .untilAsserted(() -> assertThat(versions()).isEqualTo(before));
  }

  private static double reconciles(InferenceOperator operator) {
    return operator.meterRegistry().find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private String versions() {
    return cluster.inferenceService("heart").get().getMetadata().getResourceVersion()
        + "/"
        + cluster.deployment("heart").getMetadata().getResourceVersion();
  }

  // Inside an await a missing status (before the first reconcile) is one more try, not an error.
  private InferenceServiceStatus status() {
    InferenceServiceStatus status = cluster.inferenceService("heart").get().getStatus();
    assertThat(status).as("status of heart").isNotNull();
    return status;
  }

  private Condition condition(String type) {
    return cluster.condition("heart", type);
  }

  private PodTemplateSpec template() {
    return cluster.deployment("heart").getSpec().getTemplate();
  }

  private static String revision(Pod pod) {
    return PodStates.templateHash(pod).substring(0, 10);
  }

  /** Messages of the InferenceService's Events with that reason. */
  private List<String> events(String reason) {
    return cluster.client().v1().events().list().getItems().stream()
        .filter(e -> "heart".equals(e.getInvolvedObject().getName()))
        .filter(e -> "InferenceService".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .map(e -> e.getMessage())
        .toList();
  }

  private List<String> warnings(String reason) {
    return cluster.client().v1().events().list().getItems().stream()
        .filter(e -> "heart".equals(e.getInvolvedObject().getName()))
        .filter(e -> "InferenceService".equals(e.getInvolvedObject().getKind()))
        .filter(e -> reason.equals(e.getReason()))
        .filter(e -> "Warning".equals(e.getType()))
        .map(e -> e.getMessage())
        .toList();
  }
}
