package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V1;
import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.BlueGreenSpec;
import dev.inferops.operator.api.v1alpha1.BlueGreenSpecBuilder;
import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpecBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue-green on the simulated cluster. Its pods have fake IPs, so the smoke requests go to a fake
 * client inside the operator, which never opens a socket; it checks, at the moment it is called,
 * what must already hold (new pods ready, listed by the preview Service, active Service unmoved).
 */
class BlueGreenIT {

  private static final String GOOD =
      "{\"predictions\":[{\"label\":1,\"probability\":0.8}],\"model\":\"heart\"}";

  /** What the fake smoke client was asked, with what the cluster looked like then. */
  record Call(URI uri, String body, String failure) {}

  static final List<Call> calls = new CopyOnWriteArrayList<>();

  /** Image whose predictions fail. */
  static volatile String brokenImage = "none";

  /** Connections the fake preview refuses before it answers, as before kube-proxy caught up. */
  static final AtomicInteger refusals = new AtomicInteger();

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator().smokeClient(BlueGreenIT::answer).build();

  @BeforeEach
  void reset() {
    calls.clear();
    brokenImage = "none";
    refusals.set(0);
  }

  private static SmokeClient.Response answer(URI uri, String body, Duration timeout)
      throws ConnectException {
    String failure = orderViolation(uri);
    calls.add(new Call(uri, body, failure));
    if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new ConnectException("Connection refused");
    }
    InferenceService is = cluster.inferenceService("heart").get();
    if (brokenImage.equals(is.getSpec().getImage())) {
      return new SmokeClient.Response(500, "{\"error\":\"model failed to score\"}");
    }
    return new SmokeClient.Response(200, GOOD);
  }

  /** Null when everything that must precede the smoke test holds, else what does not. */
  private static String orderViolation(URI uri) {
    InferenceService is = cluster.inferenceService("heart").get();
    String preview = is.getStatus().getRollout().getPreviewRevision();
    var previewService = cluster.client().services().withName("heart-preview").get();
    if (!uri.getHost().equals(previewService.getSpec().getClusterIP())) {
      return "not sent to the preview ClusterIP: " + uri;
    }
    List<Pod> newPods =
        cluster.livePods("heart").stream()
            .filter(p -> Objects.equals(preview, PodStates.revision(p)))
            .toList();
    int checked =
        Math.min(
            is.getSpec().getReplicas(),
            Objects.requireNonNullElse(
                is.getSpec().getStrategy().getBlueGreen().getPreviewReplicaCount(),
                Integer.MAX_VALUE));
    if (newPods.size() != checked || !newPods.stream().allMatch(PodStates::isReady)) {
      return "new pods not all ready";
    }
    long listed =
        cluster
            .client()
            .resources(EndpointSlice.class)
            .withLabel("kubernetes.io/service-name", "heart-preview")
            .list()
            .getItems()
            .stream()
            .flatMap(
                s ->
                    s.getEndpoints() == null
                        ? java.util.stream.Stream.empty()
                        : s.getEndpoints().stream())
            .filter(e -> e.getTargetRef() != null)
            .filter(
                e ->
                    newPods.stream()
                        .anyMatch(
                            p -> p.getMetadata().getName().equals(e.getTargetRef().getName())))
            .count();
    if (listed != newPods.size()) {
      return "preview endpoints list " + listed + " of " + newPods.size();
    }
    if (Objects.equals(activeSelector(), preview)) {
      return "active Service already switched";
    }
    return null;
  }

  @Test
  void promotesOnlyAfterReadyPodsThenEndpointsThenASmokePredictionAndSwitchesInOneWrite() {
    createBlueGreen(2, bg -> bg);
    String v1 = awaitHealthy().getActiveRevision();
    assertThat(calls).as("the first revision needs no checks").isEmpty();

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus done = awaitRollout(r -> !v1.equals(r.getActiveRevision()));

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).failure()).isNull();
    assertThat(calls.get(0).uri().getPath()).isEqualTo("/predict");
    assertThat(calls.get(0).body()).startsWith("{\"instances\":[{\"age\":63");
    assertThat(done.getActiveImage()).isEqualTo(IMAGE_V2);
    assertThat(done.getPreviousRevision()).isEqualTo(v1);
    assertThat(done.getSmokeTest().getPassed()).isTrue();
    assertThat(done.getSmokeTest().getRevision()).isEqualTo(done.getActiveRevision());
    assertThat(activeSelector()).isEqualTo(done.getActiveRevision());
    assertThat(events())
        .contains("RolloutStarted", "SmokeTestPassed", "PreviewVerified", "Promoted");
  }

  @Test
  void withoutAutoPromotionItWaitsForThePromoteAnnotation() {
    createBlueGreen(2, bg -> bg.withAutoPromotionEnabled(false));
    String v1 = awaitHealthy().getActiveRevision();

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus paused = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused);
    assertThat(paused.getReason()).isEqualTo("AwaitingPromotion");
    assertThat(paused.getActiveRevision()).isEqualTo(v1);
    assertThat(paused.getPreviewImage()).isEqualTo(IMAGE_V2);
    assertThat(activeSelector()).isEqualTo(v1);
    assertThat(revisionPods(paused.getPreviewRevision())).hasSize(2);
    assertThat(revisionPods(v1)).as("all old and all new pods at one moment").hasSize(2);
    Condition ready = cluster.condition("heart", "Ready");
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason())
        .as("Ready names what it waits for, not the pods, which are all ready")
        .isEqualTo("AwaitingPromotion");
    assertThat(ready.getMessage()).startsWith("2/2 pods ready; revision ");

    annotate(ResourceNaming.ANNOTATION_PROMOTE);
    RolloutStatus promoted = awaitRollout(r -> !v1.equals(r.getActiveRevision()));
    assertThat(activeSelector()).isEqualTo(promoted.getActiveRevision());
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(cluster.inferenceService("heart").get().getMetadata().getAnnotations())
                    .as("the command is consumed")
                    .doesNotContainKey(ResourceNaming.ANNOTATION_PROMOTE));
  }

  @Test
  void newPodsNotReadyWithinTheDeadlineAbortTheAttemptAndANewSpecTriesAgain() {
    createBlueGreen(2, bg -> bg);
    String v1 = awaitHealthy().getActiveRevision();

    cluster.editSpec(
        "heart",
        spec -> {
          spec.getStrategy().setProgressDeadlineSeconds(5);
          spec.setNodeSelector(Map.of("inferops.dev/no-such-node", "true"));
        });
    RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded);
    assertThat(aborted.getReason()).isEqualTo("ProgressDeadlineExceeded");
    assertThat(aborted.getMessage())
        .contains("0/2 new pods ready after 5s")
        .contains("Unschedulable");
    assertThat(aborted.getActiveRevision()).isEqualTo(v1);
    assertThat(activeSelector()).isEqualTo(v1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(revisionDeployment(aborted.getAbortedRevision()).getSpec().getReplicas())
                  .as("preview scaled down")
                  .isZero();
              assertThat(revisionPods(aborted.getAbortedRevision())).isEmpty();
            });
    InferenceService is = cluster.inferenceService("heart").get();
    assertThat(is.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(cluster.condition("heart", "Degraded").getReason())
        .isEqualTo("ProgressDeadlineExceeded");
    assertThat(events()).contains("RolloutAborted");
    assertThat(calls).as("no smoke test for pods that never became ready").isEmpty();

    cluster.editSpec(
        "heart",
        spec -> {
          spec.setNodeSelector(null);
          spec.setImage(IMAGE_V2);
        });
    RolloutStatus retried = awaitRollout(r -> !v1.equals(r.getActiveRevision()));
    assertThat(retried.getActiveImage()).isEqualTo(IMAGE_V2);
  }

  @Test
  void aFailingSmokeTestAbortsWithTheInstanceAndTheAnswer() {
    createBlueGreen(2, bg -> bg);
    String v1 = awaitHealthy().getActiveRevision();
    brokenImage = IMAGE_V2;

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus aborted = awaitRollout(r -> r.getPhase() == RolloutPhase.Degraded);

    assertThat(aborted.getReason()).isEqualTo("SmokeTestFailed");
    assertThat(aborted.getMessage()).contains("HTTP 500").contains("model failed to score");
    assertThat(aborted.getSmokeTest().getPassed()).isFalse();
    assertThat(aborted.getActiveRevision()).isEqualTo(v1);
    assertThat(activeSelector()).isEqualTo(v1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(revisionPods(aborted.getAbortedRevision())).isEmpty());
    assertThat(revisionPods(v1)).hasSize(2);
    Condition degraded = cluster.condition("heart", "Degraded");
    assertThat(degraded.getReason()).isEqualTo("SmokeTestFailed");
    assertThat(degraded.getMessage()).contains("HTTP 500");
  }

  @Test
  void aPreviewThatRefusesConnectionsAtFirstIsTriedAgainWithBackOffAndThenPromoted() {
    createBlueGreen(2, bg -> bg);
    String v1 = awaitHealthy().getActiveRevision();
    refusals.set(2);

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus done = awaitRollout(r -> !v1.equals(r.getActiveRevision()));

    assertThat(calls).hasSize(3);
    assertThat(calls).allSatisfy(c -> assertThat(c.failure()).isNull());
    assertThat(done.getSmokeTest().getAttempt()).isEqualTo(3);
    assertThat(done.getSmokeTest().getPassed()).isTrue();
    assertThat(done.getActiveImage()).isEqualTo(IMAGE_V2);
    assertThat(events())
        .as("no abort for a preview that answered within its attempts")
        .doesNotContain("RolloutAborted")
        .contains("SmokeTestPassed");
  }

  @Test
  void rollbackWhileTheOldPodsAreKeptIsASelectorSwitch() {
    createBlueGreen(2, bg -> bg.withScaleDownDelaySeconds(300));
    String v1 = awaitHealthy().getActiveRevision();
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus promoted = awaitRollout(r -> r.getPhase() == RolloutPhase.Promoting);
    String v2 = promoted.getActiveRevision();
    assertThat(revisionPods(v1)).as("old version kept scaled").hasSize(2);

    annotate(ResourceNaming.ANNOTATION_ROLLBACK);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(activeSelector()).isEqualTo(v1));
    RolloutStatus back = awaitRollout(r -> v1.equals(r.getActiveRevision()));
    assertThat(back.getReason()).isEqualTo("RolledBack");
    assertThat(back.getAbortedRevision()).isEqualTo(v2);
    assertThat(back.getActiveImage()).isEqualTo(IMAGE_V1);
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(revisionPods(v2)).isEmpty());
    assertThat(revisionPods(v1)).hasSize(2);
  }

  @Test
  void aPreviewCheckedAtOnePodScalesUpAtPromotionBeforeTheSwitch() {
    createBlueGreen(3, bg -> bg.withAutoPromotionEnabled(false).withPreviewReplicaCount(1));
    String v1 = awaitHealthy().getActiveRevision();

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus paused = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused);
    String v2 = paused.getPreviewRevision();
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).failure()).as("checked at one ready pod").isNull();
    assertThat(revisionDeployment(v2).getSpec().getReplicas()).isEqualTo(1);
    assertThat(revisionPods(v2)).hasSize(1);
    assertThat(revisionPods(v1)).hasSize(3);

    annotate(ResourceNaming.ANNOTATION_PROMOTE);
    RolloutStatus promoted = awaitRollout(r -> v2.equals(r.getActiveRevision()));
    assertThat(activeSelector()).isEqualTo(v2);
    assertThat(revisionPods(v2))
        .as("the Service switched to every replica of the new version, all ready")
        .hasSize(3)
        .allMatch(PodStates::isReady);
    assertThat(revisionPods(v1)).as("all old and all new pods at one moment").hasSize(3);
    assertThat(promoted.getPromotionStartedAt()).isNull();
    assertThat(calls).as("no second smoke test").hasSize(1);
  }

  @Test
  void scalingDuringARolloutResizesBothVersionsButNeverShrinksTheActive() {
    createBlueGreen(2, bg -> bg.withAutoPromotionEnabled(false));
    String v1 = awaitHealthy().getActiveRevision();
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    String v2 = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused).getPreviewRevision();

    cluster.inferenceService("heart").scale(3);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(revisionDeployment(v1).getSpec().getReplicas()).isEqualTo(3);
              assertThat(revisionDeployment(v2).getSpec().getReplicas()).isEqualTo(3);
            });
    cluster.inferenceService("heart").scale(1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> assertThat(revisionDeployment(v2).getSpec().getReplicas()).isEqualTo(1));
    assertThat(revisionDeployment(v1).getSpec().getReplicas())
        .as("the active version keeps its replicas during the rollout")
        .isEqualTo(3);

    annotate(ResourceNaming.ANNOTATION_PROMOTE);
    awaitRollout(r -> v2.equals(r.getActiveRevision()));
    assertThat(revisionDeployment(v2).getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void oldVersionsScaleDownAfterTheDelayAndOnlyTheHistoryLimitStays() {
    createBlueGreen(
        2, bg -> bg.withScaleDownDelaySeconds(3), strategy -> strategy.withRevisionHistoryLimit(1));
    String v1 = awaitHealthy().getActiveRevision();

    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    RolloutStatus promoted = awaitRollout(r -> r.getPhase() == RolloutPhase.Promoting);
    long switched = System.nanoTime();
    assertThat(revisionPods(v1)).hasSize(2);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(() -> assertThat(revisionDeployment(v1).getSpec().getReplicas()).isZero());
    assertThat(Duration.ofNanos(System.nanoTime() - switched))
        .as("not before the delay")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    awaitHealthy();

    cluster.editSpec("heart", spec -> spec.setImage("inferops/inference-app:0.3.0"));
    String v3 =
        awaitRollout(
                r ->
                    r.getPhase() == RolloutPhase.Healthy
                        && "inferops/inference-app:0.3.0".equals(r.getActiveImage()))
            .getActiveRevision();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(revisionDeployments())
                    .extracting(d -> d.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION))
                    .as("active plus one old revision")
                    .containsExactlyInAnyOrder(v3, promoted.getActiveRevision()));
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(snapshots())
                    .extracting(r -> r.getMetadata().getName())
                    .as("a snapshot per kept revision")
                    .containsExactlyInAnyOrder(
                        "heart-" + v3, "heart-" + promoted.getActiveRevision()));
  }

  @Test
  void anActiveRevisionDeploymentDeletedMidRolloutIsRebuiltFromItsSnapshot() {
    createBlueGreen(2, bg -> bg.withAutoPromotionEnabled(false));
    String v1 = awaitHealthy().getActiveRevision();
    cluster.editSpec("heart", spec -> spec.setImage(IMAGE_V2));
    String v2 = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused).getPreviewRevision();
    assertThat(snapshots())
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("heart-" + v1, "heart-" + v2);
    String uid = revisionDeployment(v1).getMetadata().getUid();

    cluster.client().apps().deployments().withName("heart-" + v1).delete();

    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              Deployment rebuilt = revisionDeployment(v1);
              assertThat(rebuilt).isNotNull();
              assertThat(rebuilt.getMetadata().getUid()).isNotEqualTo(uid);
              assertThat(rebuilt.getSpec().getReplicas()).isEqualTo(2);
              assertThat(
                      rebuilt.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                  .isEqualTo(IMAGE_V1);
              assertThat(revisionPods(v1)).hasSize(2).allMatch(PodStates::isReady);
            });
    RolloutStatus still = awaitRollout(r -> r.getPhase() == RolloutPhase.Paused);
    assertThat(still.getActiveRevision()).as("not switched by the deletion").isEqualTo(v1);
    assertThat(still.getPreviewRevision()).isEqualTo(v2);
    assertThat(activeSelector()).isEqualTo(v1);

    annotate(ResourceNaming.ANNOTATION_PROMOTE);
    awaitRollout(r -> v2.equals(r.getActiveRevision()));
    assertThat(activeSelector()).isEqualTo(v2);
  }

  @Test
  void switchingBackToARollingUpdateRemovesTheRevisionsTheirSnapshotsAndThePreview() {
    createBlueGreen(2, bg -> bg);
    awaitHealthy();
    assertThat(snapshots()).hasSize(1);

    cluster.editSpec("heart", spec -> spec.setStrategy(Fixtures.rollingUpdate().build()));
    cluster.awaitPhase("heart", Phase.Ready);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(cluster.deployment("heart")).isNotNull();
              assertThat(revisionDeployments()).isEmpty();
              assertThat(snapshots()).isEmpty();
              assertThat(cluster.client().services().withName("heart-preview").get()).isNull();
              assertThat(activeSelector()).isNull();
            });
  }

  @Test
  void aDisruptionBudgetAndSoftSpreadComeWithMoreThanOneReplica() {
    createBlueGreen(2, bg -> bg);
    awaitHealthy();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              var pdb =
                  cluster.client().policy().v1().podDisruptionBudget().withName("heart").get();
              assertThat(pdb).isNotNull();
              assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
              assertThat(pdb.getMetadata().getOwnerReferences())
                  .extracting(o -> o.getKind())
                  .containsExactly("InferenceService");
            });
    assertThat(cluster.livePods("heart"))
        .allSatisfy(
            p ->
                assertThat(p.getSpec().getTopologySpreadConstraints())
                    .extracting(c -> c.getTopologyKey() + " " + c.getWhenUnsatisfiable())
                    .containsExactly(
                        "kubernetes.io/hostname ScheduleAnyway",
                        "topology.kubernetes.io/zone ScheduleAnyway"));

    cluster.inferenceService("heart").scale(1);
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        cluster
                            .client()
                            .policy()
                            .v1()
                            .podDisruptionBudget()
                            .withName("heart")
                            .get())
                    .isNull());
  }

  private void createBlueGreen(int replicas, UnaryOperator<BlueGreenSpecBuilder> blueGreen) {
    createBlueGreen(replicas, blueGreen, strategy -> strategy);
  }

  /**
   * "heart" with blue-green, scaled down 5 s after the switch unless {@code blueGreen} says else.
   */
  private void createBlueGreen(
      int replicas,
      UnaryOperator<BlueGreenSpecBuilder> blueGreen,
      UnaryOperator<DeploymentStrategySpecBuilder> more) {
    BlueGreenSpec bg =
        blueGreen.apply(new BlueGreenSpecBuilder().withScaleDownDelaySeconds(5)).build();
    DeploymentStrategySpec strategy = more.apply(Fixtures.blueGreen().withBlueGreen(bg)).build();
    cluster.create(
        cluster.newInferenceService("heart", replicas, spec -> spec.setStrategy(strategy)));
  }

  private RolloutStatus awaitHealthy() {
    return awaitRollout(r -> r.getPhase() == RolloutPhase.Healthy);
  }

  private RolloutStatus awaitRollout(Predicate<RolloutStatus> condition) {
    return cluster.awaitRollout("heart", condition);
  }

  /** What {@code kubectl annotate inferenceservice heart <annotation>=true} does. */
  private void annotate(String annotation) {
    cluster
        .inferenceService("heart")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + annotation + "\":\"true\"}}}");
  }

  private static String activeSelector() {
    return cluster
        .client()
        .services()
        .withName("heart")
        .get()
        .getSpec()
        .getSelector()
        .get(ResourceNaming.LABEL_REVISION);
  }

  private List<Pod> revisionPods(String revision) {
    return cluster.livePods("heart").stream()
        .filter(p -> revision.equals(PodStates.revision(p)))
        .toList();
  }

  private Deployment revisionDeployment(String revision) {
    return cluster.deployment("heart-" + revision);
  }

  private List<Deployment> revisionDeployments() {
    return cluster
        .client()
        .apps()
        .deployments()
        .withLabel(ResourceNaming.LABEL_REVISION)
        .list()
        .getItems();
  }

  private List<ControllerRevision> snapshots() {
    return cluster
        .client()
        .apps()
        .controllerRevisions()
        .withLabel(ResourceNaming.LABEL_REVISION)
        .list()
        .getItems();
  }

  private List<String> events() {
    return cluster.client().v1().events().list().getItems().stream()
        .filter(e -> "heart".equals(e.getInvolvedObject().getName()))
        .map(e -> e.getReason())
        .toList();
  }
}
