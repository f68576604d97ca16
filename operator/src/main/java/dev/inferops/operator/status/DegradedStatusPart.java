package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.ObservedState;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Degraded: failures that waiting will not fix, the rollout's own first, then the model, the pods,
 * the workload object, and a rolling Deployment past its progress deadline.
 */
final class DegradedStatusPart {

  /** Waiting reasons of a container that will not get better by waiting. */
  static final Set<String> FAILING_WAITING_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private static final int MAX_LISTED_PROBLEMS = 5;

  private DegradedStatusPart() {}

  static void addTo(StatusDraft draft) {
    WorkloadKind kind = draft.kind;
    ObservedState observed = draft.observed;
    List<Pod> current = draft.pods().current();
    boolean following = draft.followedRevision().isPresent();
    List<String> problems = new ArrayList<>();
    if (draft.degradedByRollout()) {
      problems.add(draft.rolloutProblem());
    }
    ModelConfigMap.problem(draft.is, observed.modelConfigMap()).ifPresent(problems::add);
    problems.addAll(podProblems(current));
    if (!following) {
      workloadFailure(kind, observed).ifPresent(problems::add);
    }
    String reason = draft.degradedReason();
    if (!draft.degradedByRollout()
        && !following
        && kind == WorkloadKind.Deployment
        && observed.deployment().flatMap(DegradedStatusPart::deadlineExceeded).isPresent()) {
      reason = ConditionReason.ProgressDeadlineExceeded.name();
      // The Deployment's own message says only that it timed out; the pods say why.
      List<Pod> waiting = current.stream().filter(p -> !PodStates.isReady(p)).toList();
      PodStates.worstProblem(waiting)
          .filter(p -> problems.stream().noneMatch(q -> q.startsWith(p.split(":")[0] + ":")))
          .ifPresent(problems::add);
      draft.deadlineNote().ifPresent(problems::add);
    }
    draft.problems(
        problems, reason, problems.isEmpty() ? "no failures observed" : summarize(problems));
  }

  /** Failures of the pods that waiting will not fix, in a stable order. */
  private static List<String> podProblems(List<Pod> current) {
    List<String> problems = new ArrayList<>();
    for (Pod pod : current) {
      String name = pod.getMetadata().getName();
      if (pod.getStatus() == null) {
        continue;
      }
      if ("Failed".equals(pod.getStatus().getPhase())) {
        problems.add("pod " + name + " failed");
        continue;
      }
      Optional<String> init = initContainerProblem(pod);
      if (init.isPresent()) {
        // The app container waits for it (PodInitializing): the init container is the cause.
        problems.add(init.get());
        continue;
      }
      Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()).stream()
          .map(
              cs -> {
                String waiting =
                    cs.getState() != null && cs.getState().getWaiting() != null
                        ? cs.getState().getWaiting().getReason()
                        : null;
                if (waiting != null && FAILING_WAITING_REASONS.contains(waiting)) {
                  return "pod " + name + ": " + waiting + PodStates.lastExit(cs);
                }
                boolean restarted = cs.getRestartCount() != null && cs.getRestartCount() > 0;
                if (restarted && !Boolean.TRUE.equals(cs.getReady())) {
                  return "pod " + name + ": container " + cs.getName() + " restarting";
                }
                return null;
              })
          .filter(Objects::nonNull)
          .findFirst()
          .ifPresent(problems::add);
    }
    return problems;
  }

  /**
   * An init container (the model download) that fails, with how its last run ended: its termination
   * message is its last log line, which for the download names the URL and the cause.
   */
  private static Optional<String> initContainerProblem(Pod pod) {
    String name = pod.getMetadata().getName();
    for (ContainerStatus cs :
        Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of())) {
      ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
      ContainerStateTerminated ended = cs.getState() == null ? null : cs.getState().getTerminated();
      String prefix = "pod " + name + ": init container " + cs.getName();
      if (waiting != null && FAILING_WAITING_REASONS.contains(waiting.getReason())) {
        return Optional.of(prefix + ": " + waiting.getReason() + PodStates.lastExit(cs));
      }
      if (ended != null && ended.getExitCode() != null && ended.getExitCode() != 0) {
        // Between a failure and the kubelet's back-off, and for good on a bare pod that never
        // restarts it: this run's own exit.
        return PodStates.worstProblem(List.of(pod));
      }
      boolean restarted = cs.getRestartCount() != null && cs.getRestartCount() > 0;
      if (ended == null && restarted) {
        return Optional.of(prefix + " restarting" + PodStates.lastExit(cs));
      }
    }
    return Optional.empty();
  }

  /** Why the Deployment or ReplicaSet cannot create or progress its pods, if it says so. */
  private static Optional<String> workloadFailure(WorkloadKind kind, ObservedState observed) {
    return switch (kind) {
      case Deployment -> observed.deployment().flatMap(DegradedStatusPart::deploymentFailure);
      case ReplicaSet -> observed.replicaSet().flatMap(DegradedStatusPart::replicaSetFailure);
      case Pod -> Optional.empty();
    };
  }

  private static Optional<String> deploymentFailure(Deployment d) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream()
        .filter(
            c ->
                ("Progressing".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && ConditionReason.ProgressDeadlineExceeded.name().equals(c.getReason()))
                    || ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())))
        .findFirst()
        .map(c -> "Deployment: " + c.getMessage());
  }

  private static Optional<String> deadlineExceeded(Deployment d) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> ConditionReason.ProgressDeadlineExceeded.name().equals(c.getReason()))
        // The message is optional in the API: a condition without one still counts.
        .map(c -> Objects.requireNonNullElse(c.getMessage(), ""))
        .findFirst();
  }

  private static Optional<String> replicaSetFailure(ReplicaSet r) {
    if (r.getStatus() == null || r.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return r.getStatus().getConditions().stream()
        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map(c -> "ReplicaSet: " + c.getMessage());
  }

  private static String summarize(List<String> problems) {
    String listed = problems.stream().limit(MAX_LISTED_PROBLEMS).collect(Collectors.joining("; "));
    int more = problems.size() - MAX_LISTED_PROBLEMS;
    return more > 0 ? listed + "; and " + more + " more" : listed;
  }
}
