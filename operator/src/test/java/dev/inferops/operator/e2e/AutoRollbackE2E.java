package dev.inferops.operator.e2e;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A rolling update whose new pods never get ready, to an image the real node does not have (pull
 * policy Never, so the kubelet reports ErrImageNeverPull and nothing is fetched) or with a setting
 * the app refuses: past its progress deadline the operator puts the last available template back,
 * says why with the kubelet's reason or the app's own error, and the Service never stops answering
 * from the old version.
 */
@ExtendWith(RealNode.Required.class)
class AutoRollbackE2E {

  private static final String MISSING_IMAGE = "inferops/inference-app:0.0.0-not-loaded";

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  @Test
  void aRolloutToAnImageThatCannotStartIsRolledBackWithoutLosingARequest() {
    rollOutAndExpectRollback(
        "stuck",
        spec -> spec.setImage(MISSING_IMAGE),
        message ->
            assertThat(message)
                .contains(MISSING_IMAGE)
                .contains("ErrImageNeverPull")
                .contains("rolled back to revision")
                .contains(IMAGE_V1),
        "RollingUpdate to a missing image, rolled back, 2 replicas");
  }

  /**
   * The crash loop a bad setting causes: the app exits at start with its own one-line error, which
   * the kubelet keeps as the termination message and the status quotes.
   */
  @Test
  void aRolloutWhosePodsCrashAtStartIsRolledBackNamingTheAppsOwnError() {
    rollOutAndExpectRollback(
        "crashing",
        spec -> spec.setEnv(List.of(new EnvVar("HTTP_MAX_CONNECTIONS", "none", null))),
        message ->
            assertThat(message)
                .contains("exit code 2: inference-app: invalid setting: HTTP_MAX_CONNECTIONS")
                .contains("rolled back to revision"),
        "RollingUpdate whose pods crash at start, rolled back, 2 replicas");
  }

  private void rollOutAndExpectRollback(
      String name,
      Consumer<InferenceServiceSpec> change,
      Consumer<String> degradedMessage,
      String title) {
    RealNode.deployReady(
        cluster,
        name,
        2,
        spec -> {
          spec.setStrategy(
              Fixtures.rollingUpdate()
                  .withMaxSurge(new IntOrString(1))
                  .withMaxUnavailable(new IntOrString(0))
                  .withProgressDeadlineSeconds(15)
                  .withAutoRollback(true)
                  .build());
          spec.setApp(Fixtures.startDelay(2).build());
        });
    try (Traffic traffic =
        RealNode.serviceTraffic(
            cluster,
            name,
            false,
            Duration.ofSeconds(10),
            RealNode.E2E_TIMEOUT,
            Duration.ofSeconds(10))) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));
      cluster.editSpec(name, change);

      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () -> {
                var status = cluster.inferenceService(name).get().getStatus();
                assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
                Condition degraded = cluster.condition(name, "Degraded");
                assertThat(degraded.getReason()).isEqualTo("RolledBack");
                degradedMessage.accept(degraded.getMessage());
                assertThat(
                        cluster
                            .deployment(name)
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage())
                    .isEqualTo(IMAGE_V1);
                assertThat(cluster.livePods(name))
                    .as("the failing pod is gone, the old ones serve")
                    .hasSize(2)
                    .allSatisfy(
                        p -> {
                          assertThat(p.getSpec().getContainers().get(0).getImage())
                              .isEqualTo(IMAGE_V1);
                          assertThat(p.getSpec().getContainers().get(0).getEnv())
                              .noneMatch(e -> e.getName().equals("HTTP_MAX_CONNECTIONS"));
                          assertThat(PodStates.isReady(p)).isTrue();
                        });
              });
      traffic.finish(title, Duration.ofSeconds(10));
      assertThat(traffic.failed()).as(traffic.summary(name)).isZero();
      assertThat(traffic.versions().keySet())
          .as("only the old version answered")
          .containsOnly("0.1.0");
    }
  }
}
