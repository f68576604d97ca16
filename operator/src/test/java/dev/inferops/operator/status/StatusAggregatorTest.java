package dev.inferops.operator.status;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static dev.inferops.operator.testsupport.Fixtures.model;
import static dev.inferops.operator.testsupport.Fixtures.pod;
import static dev.inferops.operator.testsupport.Fixtures.readyPods;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.ImageStatus;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatusBuilder;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatusBuilder;
import dev.inferops.operator.api.v1alpha1.ServiceExposureSpecBuilder;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.reconciler.Strategies;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.rollout.rolling.RollingUpdateStatusPart;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.ObservedState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2025-01-01T00:05:00Z");

  private static Deployment deployment(int available) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("heart")
        .withGeneration(2L)
        .endMetadata()
        .withNewStatus()
        .withObservedGeneration(2L)
        .withAvailableReplicas(available)
        .endStatus()
        .build();
  }

  private static ObservedState withDeployment(List<Pod> pods, int available) {
    return new ObservedState(
        pods, Optional.of(deployment(available)), Optional.empty(), Optional.empty());
  }

  private static final Strategies STRATEGIES =
      new Strategies(
          new SmokeTester(
              (uri, body, timeout) -> {
                throw new IOException("no smoke client in this test");
              }),
          (pod, port) -> {
            throw new IOException("no metrics source in this test");
          });

  /** The status written without a decision: the rollout as {@code is}'s status recorded it. */
  private static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, Instant now) {
    Intent intent = intent(is, observed);
    return StatusAggregator.aggregate(
        is, intent, observed, STRATEGIES.of(intent).recorded(is), now);
  }

  /** The status with what {@code rollout} decided. */
  private static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, StatusPart rollout, Instant now) {
    return StatusAggregator.aggregate(is, intent(is, observed), observed, rollout, now);
  }

  private static Intent intent(InferenceService is, ObservedState observed) {
    return Intent.of(is, ModelConfigMap.hash(is, observed.modelConfigMap()));
  }

  private static String condition(InferenceServiceStatus status, String type) {
    return Conditions.find(status.getConditions(), type)
        .map(c -> c.getStatus() + "/" + c.getReason())
        .orElse("missing");
  }

  @Test
  void readyWhenAllReplicasAreReadyAndUpToDate() {
    InferenceService is = inferenceService(spec -> spec.setReplicas(2));
    var pods = readyPods(is, WorkloadKind.Deployment, "a", "b");

    InferenceServiceStatus status = aggregate(is, withDeployment(pods, 2), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getReplicas()).isEqualTo(2);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getUpdatedReplicas()).isEqualTo(2);
    assertThat(status.getAvailableReplicas()).isEqualTo(2);
    assertThat(status.getImages())
        .containsExactly(new ImageStatus(dev.inferops.operator.testsupport.Fixtures.IMAGE, 2, 2));
    assertThat(status.getSelector())
        .isEqualTo(
            "app.kubernetes.io/instance=heart,app.kubernetes.io/name=inference-service,"
                + "inferops.dev/workload=Deployment");
    assertThat(status.getUrl()).isEqualTo("http://heart.ml.svc:80");
    assertThat(condition(status, "Ready")).isEqualTo("True/AllReplicasReady");
    assertThat(condition(status, "Progressing")).isEqualTo("False/Complete");
    assertThat(condition(status, "Degraded")).isEqualTo("False/AsExpected");
    assertThat(status.getConditions())
        .allSatisfy(
            c -> {
              assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
              assertThat(c.getObservedGeneration()).isEqualTo(3L);
              assertThat(c.getMessage()).isNotBlank();
            });
  }

  @Test
  void pendingWhileNoPodIsReady() {
    InferenceService is = inferenceService(spec -> spec.setReplicas(2));
    var status =
        aggregate(is, withDeployment(List.of(pod(is, WorkloadKind.Deployment, "a", false)), 0), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Pending);
    assertThat(condition(status, "Ready")).isEqualTo("False/ReplicasNotReady");
    assertThat(condition(status, "Progressing")).isEqualTo("True/Scaling");
  }

  @Test
  void progressingWhileRollingOut() {
    InferenceService old = inferenceService(spec -> spec.setReplicas(2));
    InferenceService is =
        inferenceService(
            spec -> {
              spec.setReplicas(2);
              spec.setImage("inferops/inference-app:0.2.0");
            });
    var pods =
        List.of(
            pod(old, WorkloadKind.Deployment, "a", true),
            pod(old, WorkloadKind.Deployment, "b", true),
            pod(is, WorkloadKind.Deployment, "c", false));
    var status = aggregate(is, withDeployment(pods, 2), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(status.getUpdatedReplicas()).isEqualTo(1);
    assertThat(condition(status, "Progressing")).isEqualTo("True/RollingOut");
    assertThat(status.getImages())
        .containsExactly(
            new ImageStatus("inferops/inference-app:0.1.0", 2, 2),
            new ImageStatus("inferops/inference-app:0.2.0", 1, 0));
  }

  @Test
  void replicaSetIsReadyWithPodsOfAnOlderTemplate() {
    InferenceService old =
        inferenceService(
            spec -> {
              spec.setWorkload(WorkloadKind.ReplicaSet);
              spec.setReplicas(2);
            });
    InferenceService is =
        inferenceService(
            spec -> {
              spec.setWorkload(WorkloadKind.ReplicaSet);
              spec.setReplicas(2);
              spec.setImage("inferops/inference-app:0.2.0");
            });
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName("heart")
            .withGeneration(1L)
            .endMetadata()
            .withNewStatus()
            .withObservedGeneration(1L)
            .withAvailableReplicas(2)
            .endStatus()
            .build();
    var pods = readyPods(old, WorkloadKind.ReplicaSet, "a", "b");
    var status =
        aggregate(
            is, new ObservedState(pods, Optional.empty(), Optional.of(rs), Optional.empty()), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getUpdatedReplicas()).isZero();
    assertThat(status.getImages())
        .containsExactly(new ImageStatus("inferops/inference-app:0.1.0", 2, 2));
  }

  @Test
  void switchingWhileTheOldKindStillExists() {
    InferenceService old = inferenceService(spec -> spec.setReplicas(1));
    InferenceService is =
        inferenceService(
            spec -> {
              spec.setReplicas(1);
              spec.setWorkload(WorkloadKind.Pod);
            });
    var pods =
        List.of(
            pod(old, WorkloadKind.Deployment, "d", true),
            pod(is, WorkloadKind.Pod, "heart-0", true));
    var status = aggregate(is, withDeployment(pods, 1), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
    assertThat(condition(status, "Progressing")).isEqualTo("True/SwitchingWorkload");
    assertThat(status.getReplicas()).isEqualTo(1);
    assertThat(status.getSelector()).endsWith("inferops.dev/workload=Pod");
  }

  @Test
  void degradedWhenAPodKeepsRestarting() {
    InferenceService is = inferenceService(spec -> spec.setWorkload(WorkloadKind.Pod));
    Pod crashing =
        new PodBuilder(pod(is, WorkloadKind.Pod, "heart-0", false))
            .editStatus()
            .editFirstContainerStatus()
            .withRestartCount(2)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .withMessage("inference-app: invalid setting: PORT must be a whole number, got 'x'\n")
            .endTerminated()
            .endLastState()
            .endContainerStatus()
            .endStatus()
            .build();
    var status = aggregate(is, ObservedState.of(List.of(crashing)), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(status, "Degraded")).isEqualTo("True/Failing");
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .as("why it crashes, from the container's last log line")
        .isEqualTo(
            "pod heart-0: CrashLoopBackOff; last exit code 2: inference-app: invalid setting:"
                + " PORT must be a whole number, got 'x'");
  }

  @Test
  void degradedWhenTheDeploymentCannotCreatePods() {
    InferenceService is = inferenceService();
    Deployment failing =
        new DeploymentBuilder(deployment(0))
            .editStatus()
            .addNewCondition()
            .withType("ReplicaFailure")
            .withStatus("True")
            .withMessage("pods \"heart-x\" is forbidden")
            .endCondition()
            .endStatus()
            .build();
    var status =
        aggregate(
            is,
            new ObservedState(List.of(), Optional.of(failing), Optional.empty(), Optional.empty()),
            T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .contains("forbidden");
  }

  @Test
  void terminatingPodsAndPodsOfOtherInstancesAreIgnored() {
    InferenceService is = inferenceService();
    Pod terminating =
        new PodBuilder(pod(is, WorkloadKind.Deployment, "old", true))
            .editMetadata()
            .withDeletionTimestamp("2025-01-01T00:00:00Z")
            .endMetadata()
            .build();
    Pod other =
        new PodBuilder(pod(is, WorkloadKind.Deployment, "other", true))
            .editMetadata()
            .addToLabels("app.kubernetes.io/instance", "lung")
            .endMetadata()
            .build();
    var status =
        aggregate(
            is,
            withDeployment(
                List.of(terminating, other, pod(is, WorkloadKind.Deployment, "a", true)), 1),
            T0);
    assertThat(status.getReplicas()).isEqualTo(1);
    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void unchangedStatusIsEqualAndKeepsTransitionTimes() {
    InferenceService is = inferenceService();
    var observed = withDeployment(List.of(pod(is, WorkloadKind.Deployment, "a", true)), 1);
    InferenceServiceStatus first = aggregate(is, observed, T0);
    is.setStatus(first);

    InferenceServiceStatus second = aggregate(is, observed, T1);

    assertThat(second).isEqualTo(first);
  }

  @Test
  void transitionTimeChangesOnlyForConditionsThatChanged() {
    InferenceService is = inferenceService();
    is.setStatus(
        aggregate(is, withDeployment(List.of(pod(is, WorkloadKind.Deployment, "a", true)), 1), T0));

    var later =
        aggregate(is, withDeployment(List.of(pod(is, WorkloadKind.Deployment, "a", false)), 0), T1);

    assertThat(later.getPhase()).isEqualTo(Phase.Pending);
    assertThat(
            Conditions.find(later.getConditions(), "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2025-01-01T00:05:00Z");
    assertThat(
            Conditions.find(later.getConditions(), "Degraded")
                .orElseThrow()
                .getLastTransitionTime())
        .isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void noUrlWithoutService() {
    InferenceService is =
        inferenceService(
            spec -> spec.setService(new ServiceExposureSpecBuilder().withEnabled(false).build()));
    assertThat(aggregate(is, ObservedState.of(List.of()), T0).getUrl()).isNull();
  }

  @Test
  void zeroReplicasAreReady() {
    InferenceService is =
        inferenceService(
            spec -> {
              spec.setReplicas(0);
              spec.setWorkload(WorkloadKind.Pod);
            });
    assertThat(aggregate(is, ObservedState.of(List.of()), T0).getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void errorMakesThePhaseDegradedWithTheMessage() {
    InferenceService is = inferenceService();
    var status =
        StatusAggregator.withError(aggregate(is, ObservedState.of(List.of()), T0), is, "boom", T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    Condition degraded = Conditions.find(status.getConditions(), "Degraded").orElseThrow();
    assertThat(degraded.getReason()).isEqualTo("ReconcileFailed");
    assertThat(degraded.getMessage()).isEqualTo("boom");
  }

  @Test
  void missingModelConfigMapMakesThePhaseDegraded() {
    InferenceService is = withModel("heart-model");
    var pods = readyPods(is, WorkloadKind.Deployment, "a");
    var status = aggregate(is, withDeployment(pods, 1), T0);
    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .isEqualTo("model ConfigMap heart-model not found");
  }

  @Test
  void podsOfAnOlderModelAreNotUpdated() {
    InferenceService is = withModel("heart-model");
    // Fixtures build pods without a model hash: what the pods of any other model look like.
    var pods = readyPods(is, WorkloadKind.Deployment, "a");
    var model =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("heart-model")
            .endMetadata()
            .addToData("model.json", "{}")
            .build();
    var status =
        aggregate(
            is,
            new ObservedState(
                pods, Optional.of(deployment(1)), Optional.empty(), Optional.of(model)),
            T0);
    assertThat(status.getUpdatedReplicas()).isZero();
    assertThat(status.getPhase()).isEqualTo(Phase.Progressing);
  }

  @Test
  void aFailingModelDownloadIsDegradedWithTheUrlAndTheCauseAndTheStatusNamesTheModel() {
    InferenceService is =
        inferenceService(
            spec -> spec.setModel(Fixtures.modelFromUrl("https://h/m.onnx", null).build()));
    String line = "inference-app: cannot download https://h/m.onnx: HTTP 404 Not Found";
    Pod downloading =
        new PodBuilder(pod(is, WorkloadKind.Deployment, "heart-x", false))
            .editStatus()
            .withPhase("Pending")
            .addNewInitContainerStatus()
            .withName("model-download")
            .withRestartCount(2)
            .withReady(false)
            .withNewState()
            .withNewWaiting()
            .withReason("CrashLoopBackOff")
            .withMessage("back-off 20s restarting failed container=model-download")
            .endWaiting()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason("Error")
            .withMessage(line + "\n")
            .endTerminated()
            .endLastState()
            .endInitContainerStatus()
            .editFirstContainerStatus()
            .withNewState()
            .withNewWaiting()
            .withReason("PodInitializing")
            .endWaiting()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();

    var status = aggregate(is, withDeployment(List.of(downloading), 0), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .isEqualTo(
            "pod heart-x: init container model-download: CrashLoopBackOff; last exit code 1: "
                + line);
    assertThat(status.getModel().getSource()).isEqualTo("url https://h/m.onnx");
    assertThat(status.getModel().getDigest()).isNull();
    assertThat(status.getModel().getPath()).isEqualTo("/models/model.onnx");
  }

  @Test
  void theStatusShowsTheDigestOfAModelConfigMap() {
    InferenceService is =
        inferenceService(spec -> spec.setModel(model("heart-onnx").withKey("model.onnx").build()));
    var model =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName("heart-onnx")
            .endMetadata()
            .addToBinaryData("model.onnx", "AAEC")
            .build();
    var status =
        aggregate(
            is,
            new ObservedState(List.of(), Optional.empty(), Optional.empty(), Optional.of(model)),
            T0);
    assertThat(status.getModel().getSource()).isEqualTo("configMap heart-onnx key model.onnx");
    assertThat(status.getModel().getDigest())
        .isEqualTo("sha256:ae4b3280e56e2faf83f414a6e3dabe9d5fbe18976544c05fed121accb85b53fc");
    assertThat(aggregate(inferenceService(), withDeployment(List.of(), 0), T0).getModel())
        .as("the built-in model")
        .isNull();
  }

  private static RollingUpdateStatus rolledBack() {
    return new RollingUpdateStatusBuilder()
        .withAvailableRevision("aaaaaaaaaa")
        .withAvailableImage("inferops/inference-app:0.1.0")
        .withFailedRevision("bbbbbbbbbb")
        .withFailedImage("inferops/inference-app:0.2.0")
        .withFailureMessage("pod heart-x: ImagePullBackOff")
        .withRolledBackAt("2025-01-01T00:00:00Z")
        .build();
  }

  @Test
  void rolledBackIsDegradedWithTheRollbackAndNotProgressing() {
    InferenceService failed =
        inferenceService(
            spec -> {
              spec.setReplicas(2);
              spec.setImage("inferops/inference-app:0.2.0");
            });
    InferenceService old = inferenceService(spec -> spec.setReplicas(2));
    var pods = readyPods(old, WorkloadKind.Deployment, "a", "b");

    var status =
        aggregate(failed, withDeployment(pods, 2), new RollingUpdateStatusPart(rolledBack()), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status.getReadyReplicas()).isEqualTo(2);
    assertThat(status.getUpdatedReplicas()).as("pods on the spec's template").isZero();
    assertThat(status.getRollingUpdate()).isEqualTo(rolledBack());
    assertThat(condition(status, "Degraded")).isEqualTo("True/RolledBack");
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .isEqualTo(
            "revision bbbbbbbbbb (inferops/inference-app:0.2.0) exceeded its progress deadline:"
                + " pod heart-x: ImagePullBackOff; rolled back to revision aaaaaaaaaa"
                + " (inferops/inference-app:0.1.0); a spec change or the annotation"
                + " inferops.dev/retry tries again");
    assertThat(condition(status, "Progressing")).isEqualTo("False/RolledBack");
    assertThat(condition(status, "Ready")).isEqualTo("False/RolledBack");
    assertThat(Conditions.find(status.getConditions(), "Ready").orElseThrow().getMessage())
        .as("ready pods, yet not Ready: the cause is named")
        .isEqualTo("2/2 pods ready, but Degraded: RolledBack");
  }

  @Test
  void aStuckRolloutThatCouldNotBeRolledBackSaysWhy() {
    var status = stuckAndNotRolledBack(Fixtures.pastDeadline(deployment(0)));

    assertThat(condition(status, "Degraded")).isEqualTo("True/ProgressDeadlineExceeded");
    assertThat(Conditions.find(status.getConditions(), "Degraded").orElseThrow().getMessage())
        .endsWith(
            "; not rolled back to revision aaaaaaaaaa (inferops/inference-app:0.1.0): the"
                + " Deployment has no ReplicaSet of it left");
  }

  @Test
  void aDeadlineConditionWithoutAMessageStillCounts() {
    Deployment stuck = Fixtures.pastDeadline(deployment(0));
    stuck.getStatus().getConditions().get(0).setMessage(null);

    var status = stuckAndNotRolledBack(stuck);

    assertThat(condition(status, "Degraded")).isEqualTo("True/ProgressDeadlineExceeded");
  }

  /** The status of an autoRollback InferenceService whose stuck Deployment was not rolled back. */
  private static InferenceServiceStatus stuckAndNotRolledBack(Deployment stuck) {
    RollingUpdateStatus notBack = rolledBack();
    notBack.setRolledBackAt(null);
    return aggregate(
        Fixtures.autoRollback(),
        new ObservedState(List.of(), Optional.of(stuck), Optional.empty(), Optional.empty()),
        new RollingUpdateStatusPart(notBack),
        T0);
  }

  @Test
  void theRollingMemoryIsKeptForRollingDeploymentsOnly() {
    InferenceService rolling = inferenceService();
    rolling.setStatus(new InferenceServiceStatusBuilder().withRollingUpdate(rolledBack()).build());
    assertThat(aggregate(rolling, withDeployment(List.of(), 0), T0).getRollingUpdate())
        .isEqualTo(rolledBack());

    InferenceService replicaSet =
        inferenceService(spec -> spec.setWorkload(WorkloadKind.ReplicaSet));
    replicaSet.setStatus(rolling.getStatus());
    assertThat(aggregate(replicaSet, withDeployment(List.of(), 0), T0).getRollingUpdate()).isNull();
  }

  private static InferenceService withModel(String configMapName) {
    return inferenceService(spec -> spec.setModel(model(configMapName).build()));
  }
}
