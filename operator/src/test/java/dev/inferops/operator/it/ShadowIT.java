package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue-green's shadow on the simulated cluster, against the real API server: while the preview
 * waits, the shadow ConfigMap tells the live revision's pods where to copy; the gate decides from
 * their counters, which a fake metrics source writes as the app does; the live pods are never
 * replaced for it.
 */
class ShadowIT {

  /** Compared answers each live pod adds per read, and the share of them that agree. */
  private static final long PER_READ = 60;

  private static volatile double agreeing;
  private static final AtomicLong reads = new AtomicLong();

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator()
          .smokeClient(
              (uri, body, timeout) ->
                  new SmokeClient.Response(
                      200, "{\"predictions\":[{\"label\":1,\"probability\":0.8}]}"))
          .metricsSource(ShadowIT::metrics)
          .build();

  @BeforeEach
  void reset() {
    reads.set(0);
  }

  /** The app's shadow counters, growing with every read. */
  private static String metrics(Pod pod, int port) {
    long compared = PER_READ * reads.incrementAndGet();
    long agreed = Math.round(compared * agreeing);
    StringBuilder out = new StringBuilder();
    Map.of("copied", compared, "compared", compared, "agreed", agreed, "dropped", 0L, "failed", 0L)
        .forEach(
            (name, value) ->
                out.append("# TYPE inference_shadow_")
                    .append(name)
                    .append("_total counter\ninference_shadow_")
                    .append(name)
                    .append("_total ")
                    .append((double) value)
                    .append('\n'));
    return out.toString();
  }

  private void createWithShadow() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec ->
                spec.setStrategy(
                    Fixtures.blueGreen()
                        .withNewBlueGreen()
                        .withScaleDownDelaySeconds(1)
                        .withNewShadow()
                        .withSampleRate(0.5)
                        .withMinComparisons(100)
                        .withMinAgreement(0.99)
                        .endShadow()
                        .endBlueGreen()
                        .build())));
  }

  @Test
  void theLivePodsAreToldWhereToCopyAndAPreviewThatDisagreesIsAborted() {
    agreeing = 0.9;
    createWithShadow();
    String v1 = awaitRollout(r -> r.getPhase() == RolloutPhase.Healthy).getActiveRevision();
    Map<String, String> live = uids(v1);
    assertThat(cluster.livePods("heart"))
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getVolumes())
                    .filteredOn(v -> v.getConfigMap() != null)
                    .extracting(v -> v.getConfigMap().getName())
                    .contains("heart-shadow"));
    assertThat(shadowConfigMap().getData()).as("no shadow before a preview").isEmpty();

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus comparing = awaitRollout(r -> "ComparingShadow".equals(r.getReason()));
    String previewIp =
        cluster.client().services().withName("heart-preview").get().getSpec().getClusterIP();
    assertThat(shadowConfigMap().getData())
        .containsOnlyKeys(v1 + ".json")
        .extractingByKey(v1 + ".json")
        .asString()
        .contains("\"target\":\"http://" + previewIp + ":80\"")
        .contains("\"sampleRate\":0.5");

    RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded);
    assertThat(aborted.getReason()).isEqualTo("ShadowDisagreed");
    assertThat(aborted.getMessage())
        .matches(
            "revision "
                + comparing.getPreviewRevision()
                + " aborted: shadow agreement 90\\.0 % over [0-9,]+ requests, below the 99 %"
                + " required");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(shadowConfigMap().getData()).as("copies stop").isEmpty());
    assertThat(uids(v1)).as("the live pods were never replaced").isEqualTo(live);
  }

  @Test
  void aPreviewThatAgreesIsPromotedWithTheFigureInTheStatus() {
    agreeing = 1.0;
    createWithShadow();
    String v1 = awaitRollout(r -> r.getPhase() == RolloutPhase.Healthy).getActiveRevision();
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus promoted =
        awaitRollout(r -> !v1.equals(r.getActiveRevision()) && r.getShadow() != null);
    assertThat(promoted.getShadow().getRevision()).isEqualTo(promoted.getActiveRevision());
    assertThat(promoted.getShadow().getLiveRevision()).isEqualTo(v1);
    assertThat(promoted.getShadow().getCompared()).isGreaterThanOrEqualTo(100);
    assertThat(promoted.getShadow().getMessage())
        .startsWith("agreement 100.0 % over ")
        .endsWith(" requests (99 % required over 100)");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(shadowConfigMap().getData()).isEmpty());
  }

  private static RolloutStatus awaitRollout(Predicate<RolloutStatus> condition) {
    return cluster.awaitRollout("heart", condition);
  }

  private static ConfigMap shadowConfigMap() {
    return await()
        .atMost(TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> cluster.client().configMaps().withName("heart-shadow").get(), c -> c != null);
  }

  private static Map<String, String> uids(String revision) {
    return cluster.livePods("heart").stream()
        .filter(p -> revision.equals(PodStates.revision(p)))
        .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }
}
