package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.CanaryStepBuilder;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Canary on the simulated cluster: the step state machine against the real API server and
 * controllers. Its pods have fake IPs, so the smoke requests and the metrics reads go to fakes
 * inside the operator, which never open a socket: each pod's /metrics grows by a batch of requests
 * per read, failing or slow as the test makes its image.
 */
class CanaryIT {

  private static final String GOOD =
      "{\"predictions\":[{\"label\":1,\"probability\":0.8}],\"model\":\"heart\"}";

  /** Image whose pods answer this many of every 20 predictions with 500. */
  static final Map<String, Integer> errorsPer20 = new ConcurrentHashMap<>();

  /** Image whose pods answer predictions in 400 ms instead of 4 ms. */
  static volatile String slowImage = "none";

  /** Reads of each pod's metrics so far: its counters grow with each. */
  static final Map<String, AtomicLong> reads = new ConcurrentHashMap<>();

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator()
          .smokeClient((uri, body, timeout) -> new SmokeClient.Response(200, GOOD))
          .metricsSource(CanaryIT::metrics)
          .build();

  @BeforeEach
  void reset() {
    errorsPer20.clear();
    slowImage = "none";
    reads.clear();
  }

  /** The app's request histogram after 20 predictions per read so far. */
  private static String metrics(Pod pod, int port) {
    String image = pod.getSpec().getContainers().get(0).getImage();
    long n =
        reads.computeIfAbsent(pod.getMetadata().getName(), k -> new AtomicLong()).incrementAndGet();
    long errors = n * errorsPer20.getOrDefault(image, 0);
    long ok = n * 20 - errors;
    boolean slow = slowImage.equals(image);
    return series("200", ok, slow) + series("500", errors, slow);
  }

  private static String series(String status, long count, boolean slow) {
    String labels = "route=\"/predict\",status=\"" + status + "\"";
    StringBuilder text = new StringBuilder();
    for (String le : List.of("0.001", "0.005", "0.25", "0.5", "+Inf")) {
      boolean in =
          slow
              ? !le.equals("0.001") && !le.equals("0.005") && !le.equals("0.25")
              : !le.equals("0.001");
      text.append("http_server_requests_seconds_bucket{")
          .append(labels)
          .append(",le=\"")
          .append(le)
          .append("\"} ")
          .append(in ? count : 0)
          .append('\n');
    }
    text.append("http_server_requests_seconds_count{")
        .append(labels)
        .append("} ")
        .append(count)
        .append('\n');
    text.append("http_server_requests_seconds_sum{")
        .append(labels)
        .append("} ")
        .append(count * (slow ? 0.4 : 0.004))
        .append('\n');
    return text.toString();
  }

  @Test
  void goodCanaryStepsUpBehindTheOneServiceAndIsPromoted() {
    String v1 = createCanary(List.of(weight(50), pause(2)));

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus atHalf = awaitRollout(r -> r.getCanary() != null && r.getCanary().getStep() == 1);
    String v2 = atHalf.getPreviewRevision();
    assertThat(atHalf.getCanary().getWeight()).isEqualTo(50);
    assertThat(atHalf.getSmokeTest().getPassed()).isTrue();
    assertThat(replicas()).containsEntry(v1, 1).containsEntry(v2, 1);
    assertThat(selector("heart")).doesNotContainKey(ResourceNaming.LABEL_REVISION);
    assertThat(selector("heart-preview")).containsEntry(ResourceNaming.LABEL_REVISION, v2);

    RolloutStatus promoted = awaitRollout(r -> v2.equals(r.getActiveRevision()));
    assertThat(promoted.getPhase()).isEqualTo(RolloutPhase.Healthy);
    assertThat(promoted.getCanary().getAnalyses())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getVerdict()).isEqualTo("Passed");
              assertThat(a.getStep()).isEqualTo(1);
            });
    cluster.awaitPhase("heart", Phase.Ready);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(replicas()).isEqualTo(Map.of(v2, 2)));
    assertThat(events())
        .contains("RolloutStarted", "SmokeTestPassed", "CanaryAdvanced", "Promoted");
  }

  @Test
  void canaryWithErrorsIsAbortedAndTheStableVersionGetsEveryReplicaBack() {
    String v1 = createCanary(List.of(weight(50), pause(30)));
    errorsPer20.put(IMAGE_V2, 6);

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded);

    assertThat(aborted.getReason()).isEqualTo("CanaryAnalysisFailed");
    assertThat(aborted.getMessage())
        .startsWith(
            "canary revision " + aborted.getAbortedRevision() + " aborted, stable revision " + v1)
        .contains("error rate 30.0 %");
    assertThat(aborted.getActiveRevision()).isEqualTo(v1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(replicas())
                    .containsEntry(v1, 2)
                    .containsEntry(aborted.getAbortedRevision(), 0));
    cluster.awaitPhase("heart", Phase.Degraded);
    assertThat(events()).contains("RolloutAborted");
    assertThat(cluster.client().services().withName("heart-preview").get()).isNull();
  }

  @Test
  void slowCanaryIsAbortedOnLatency() {
    createCanary(List.of(weight(50), pause(30)));
    slowImage = IMAGE_V2;

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded);

    assertThat(aborted.getReason()).isEqualTo("CanaryAnalysisFailed");
    assertThat(aborted.getMessage()).contains("p95 latency");
  }

  @Test
  void restartedOperatorResumesThePauseAndScalingKeepsTheSplit() {
    String v1 =
        createCanary(
            List.of(weight(50), new CanaryStepBuilder().withNewPause().endPause().build()));
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus paused = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused);
    assertThat(paused.getReason()).isEqualTo("AwaitingPromotion");

    cluster.operator().close();
    InferenceOperator restarted =
        cluster.startOperator(cluster.client(), cluster.operatorSettings());
    cluster.editSpec("heart", spec -> spec.setReplicas(4));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(replicas())
                    .containsEntry(v1, 2)
                    .containsEntry(paused.getPreviewRevision(), 2));
    RolloutStatus resumed = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused);
    assertThat(resumed.getCanary().getStepStartedAt())
        .as("the pause resumed, not started again")
        .isEqualTo(paused.getCanary().getStepStartedAt());
    assertThat(restarted).isNotNull();

    cluster
        .inferenceService("heart")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\""
                + ResourceNaming.ANNOTATION_PROMOTE
                + "\":\"true\"}}}");
    awaitRollout(r -> paused.getPreviewRevision().equals(r.getActiveRevision()));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(replicas()).isEqualTo(Map.of(paused.getPreviewRevision(), 4)));
  }

  private static CanaryStep weight(int percent) {
    return new CanaryStepBuilder().withSetWeight(percent).build();
  }

  private static CanaryStep pause(int seconds) {
    return new CanaryStepBuilder().withNewPause().withSeconds(seconds).endPause().build();
  }

  /** "heart" at 2 replicas of IMAGE_V1 with a canary of these steps, read every second. */
  private String createCanary(List<CanaryStep> steps) {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec -> {
              spec.setImage(IMAGE_V1);
              spec.setStrategy(
                  Fixtures.canary()
                      .withNewCanary()
                      .withSteps(steps)
                      .withNewAnalysis()
                      .withIntervalSeconds(1)
                      .withMinRequests(10)
                      .endAnalysis()
                      .endCanary()
                      .build());
            }));
    return awaitRollout(r -> r.getPhase() == RolloutPhase.Healthy).getActiveRevision();
  }

  private RolloutStatus awaitRollout(Predicate<RolloutStatus> condition) {
    return cluster.awaitRollout("heart", condition);
  }

  /** The replicas of each revision Deployment. */
  private static Map<String, Integer> replicas() {
    return cluster
        .client()
        .apps()
        .deployments()
        .withLabel(ResourceNaming.LABEL_REVISION)
        .list()
        .getItems()
        .stream()
        .collect(
            Collectors.toMap(
                d -> d.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION),
                (Deployment d) -> d.getSpec().getReplicas(),
                (a, b) -> a,
                TreeMap::new));
  }

  private static Map<String, String> selector(String service) {
    return cluster.client().services().withName(service).get().getSpec().getSelector();
  }

  private List<String> events() {
    return cluster.client().v1().events().list().getItems().stream()
        .filter(e -> "heart".equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }
}
