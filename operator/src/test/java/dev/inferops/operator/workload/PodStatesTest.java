package dev.inferops.operator.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodStatesTest {

  private static Pod pod(String name, ContainerStatus status) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withContainerStatuses(status)
        .endStatus()
        .build();
  }

  private static ContainerStatusBuilder waiting(String reason, String message) {
    return new ContainerStatusBuilder()
        .withName("inference")
        .withNewState()
        .withNewWaiting()
        .withReason(reason)
        .withMessage(message)
        .endWaiting()
        .endState();
  }

  @Test
  void aFailingInitContainerIsNamedWithItsLastLineAndTheAppContainerWaitingForItIsNot() {
    Pod pod =
        new PodBuilder(
                pod(
                    "heart-1",
                    new ContainerStatusBuilder(waiting("PodInitializing", null).build()).build()))
            .editStatus()
            .addNewInitContainerStatus()
            .withName("model-download")
            .withRestartCount(1)
            .withNewState()
            .withNewTerminated()
            .withExitCode(1)
            .withReason("Error")
            .withMessage("inference-app: cannot download https://h/m.onnx: checksum mismatch\n")
            .endTerminated()
            .endState()
            .endInitContainerStatus()
            .endStatus()
            .build();

    assertThat(PodStates.worstProblem(List.of(pod)))
        .contains(
            "pod heart-1: init container model-download: Error; exit code 1: inference-app:"
                + " cannot download https://h/m.onnx: checksum mismatch");
    assertThat(
            PodStates.worstProblem(
                List.of(pod("heart-2", waiting("PodInitializing", null).build()))))
        .as("waiting for the init containers is no problem of its own")
        .isEmpty();
  }

  @Test
  void aCrashLoopSaysHowTheLastRunEndedWithItsLastLogLine() {
    Pod crashing =
        pod(
            "heart-1",
            waiting("CrashLoopBackOff", "back-off 10s restarting failed container=inference")
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(2)
                .withReason("Error")
                .withMessage(
                    "starting\ninference-app: invalid setting: HTTP_MAX_CONNECTIONS must be a whole"
                        + " number, got 'none'\n\n")
                .endTerminated()
                .endLastState()
                .build());

    assertThat(PodStates.worstProblem(List.of(crashing)))
        .contains(
            "pod heart-1: CrashLoopBackOff (back-off 10s restarting failed container=inference);"
                + " last exit code 2: inference-app: invalid setting: HTTP_MAX_CONNECTIONS must be"
                + " a whole number, got 'none'");
  }

  @Test
  void aLongTerminationMessageIsCutAndAMissingOneLeavesTheExitCode() {
    String longLine = "x".repeat(500);
    Pod chatty =
        pod(
            "heart-1",
            waiting("CrashLoopBackOff", null)
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(137)
                .withMessage(longLine)
                .endTerminated()
                .endLastState()
                .build());
    assertThat(PodStates.worstProblem(List.of(chatty)).orElseThrow())
        .endsWith("last exit code 137: " + "x".repeat(PodStates.TERMINATION_MESSAGE_CHARS) + "…");

    Pod silent =
        pod(
            "heart-2",
            waiting("CrashLoopBackOff", null)
                .withNewLastState()
                .withNewTerminated()
                .withExitCode(1)
                .endTerminated()
                .endLastState()
                .build());
    assertThat(PodStates.worstProblem(List.of(silent)))
        .contains("pod heart-2: CrashLoopBackOff; last exit code 1");
  }

  @Test
  void aContainerJustCrashedBeforeItsBackOffShowsItsExit() {
    Pod crashed =
        pod(
            "heart-1",
            new ContainerStatusBuilder()
                .withName("inference")
                .withNewState()
                .withNewTerminated()
                .withExitCode(2)
                .withReason("Error")
                .withMessage("inference-app: invalid setting: PORT must be a whole number")
                .endTerminated()
                .endState()
                .build());
    assertThat(PodStates.worstProblem(List.of(crashed)))
        .contains(
            "pod heart-1: Error; exit code 2: inference-app: invalid setting: PORT must be a whole"
                + " number");

    Pod finished =
        pod(
            "heart-2",
            new ContainerStatusBuilder()
                .withName("inference")
                .withNewState()
                .withNewTerminated()
                .withExitCode(0)
                .endTerminated()
                .endState()
                .build());
    assertThat(PodStates.worstProblem(List.of(finished))).as("exit code 0 is no failure").isEmpty();
  }

  @Test
  void aContainerStartedAgainAfterACrashShowsItsLastExitUntilReady() {
    ContainerStatusBuilder restarted =
        new ContainerStatusBuilder()
            .withName("inference")
            .withRestartCount(3)
            .withReady(false)
            .withNewState()
            .withNewRunning()
            .endRunning()
            .endState()
            .withNewLastState()
            .withNewTerminated()
            .withExitCode(2)
            .withMessage("inference-app: invalid setting: PORT must be a whole number")
            .endTerminated()
            .endLastState();
    assertThat(PodStates.worstProblem(List.of(pod("heart-1", restarted.build()))))
        .contains(
            "pod heart-1: restarted 3 times; last exit code 2: inference-app: invalid setting:"
                + " PORT must be a whole number");
    assertThat(PodStates.worstProblem(List.of(pod("heart-1", restarted.withReady(true).build()))))
        .as("ready again: no problem")
        .isEmpty();
  }

  @Test
  void anImagePullProblemHasNoExitAndCreatingIsNoProblem() {
    Pod pulling = pod("heart-1", waiting("ErrImageNeverPull", "not present").build());
    Pod creating = pod("heart-2", waiting("ContainerCreating", null).build());
    assertThat(PodStates.worstProblem(List.of(creating))).isEmpty();
    assertThat(PodStates.worstProblem(List.of(creating, pulling)))
        .contains("pod heart-1: ErrImageNeverPull (not present)");
  }

  @Test
  void anUnschedulablePodNamesTheSchedulersReason() {
    Pod pending =
        new PodBuilder()
            .withNewMetadata()
            .withName("heart-1")
            .endMetadata()
            .withNewStatus()
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/4 nodes are available")
            .endCondition()
            .endStatus()
            .build();
    assertThat(PodStates.worstProblem(List.of(pending)))
        .contains("pod heart-1: Unschedulable (0/4 nodes are available)");
  }
}
