package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.status.StatusDraft.Progress;
import dev.inferops.operator.workload.ObservedState;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Progressing: other workloads still present, the workload controller, and how far the counts are
 * from the spec, unless the rollout says where it stands.
 */
final class ProgressingStatusPart {

  private ProgressingStatusPart() {}

  static void addTo(StatusDraft draft) {
    WorkloadKind kind = draft.kind;
    ObservedState observed = draft.observed;
    StatusDraft.Pods pods = draft.pods();
    boolean following = draft.followedRevision().isPresent();
    List<String> otherKinds = new ArrayList<>(otherKinds(kind, pods.live(), observed));
    if (kind == WorkloadKind.Deployment && following && observed.deployment().isPresent()) {
      otherKinds.add("the rolling Deployment");
    }
    if (kind == WorkloadKind.Deployment && !following && !observed.revisions().isEmpty()) {
      otherKinds.add("the blue-green revisions");
    }
    boolean caughtUp = controllerCaughtUp(draft);
    int desired = draft.desired;
    boolean converged =
        draft.rolloutSettled()
            && otherKinds.isEmpty()
            && caughtUp
            && pods.replicas() == desired
            && pods.ready() >= desired
            && pods.available() >= desired
            && (kind == WorkloadKind.ReplicaSet || pods.updated() >= desired);
    draft.progress(
        draft
            .rolloutProgress()
            .orElseGet(() -> workloadProgress(kind, desired, pods, otherKinds, caughtUp)),
        converged);
  }

  /** The kinds other than the wanted one that still have objects or pods. */
  private static List<String> otherKinds(
      WorkloadKind kind, List<Pod> live, ObservedState observed) {
    Set<String> others = new TreeSet<>();
    live.stream()
        .map(PodStates::kind)
        .flatMap(Optional::stream)
        .filter(k -> k != kind)
        .forEach(k -> others.add(k.name()));
    if (kind != WorkloadKind.Deployment && observed.deployment().isPresent()) {
      others.add(WorkloadKind.Deployment.name());
    }
    if (kind != WorkloadKind.ReplicaSet && observed.replicaSet().isPresent()) {
      others.add(WorkloadKind.ReplicaSet.name());
    }
    return List.copyOf(others);
  }

  /** Whether the workload controller has seen the latest spec of the object the status counts. */
  private static boolean controllerCaughtUp(StatusDraft draft) {
    return switch (draft.kind) {
      case Deployment ->
          draft
              .followedDeployment()
              .map(
                  d ->
                      caughtUp(
                          d, d.getStatus() == null ? null : d.getStatus().getObservedGeneration()))
              .orElse(false);
      case ReplicaSet ->
          draft
              .observed
              .replicaSet()
              .map(
                  r ->
                      caughtUp(
                          r, r.getStatus() == null ? null : r.getStatus().getObservedGeneration()))
              .orElse(false);
      case Pod -> true;
    };
  }

  private static boolean caughtUp(HasMetadata workload, Long observedGeneration) {
    Long generation = workload.getMetadata().getGeneration();
    return generation == null || (observedGeneration != null && observedGeneration >= generation);
  }

  /** Where the workload's own counts stand on the way to the spec. */
  private static Progress workloadProgress(
      WorkloadKind kind,
      int desired,
      StatusDraft.Pods pods,
      List<String> otherKinds,
      boolean controllerCaughtUp) {
    int replicas = pods.replicas();
    int ready = pods.ready();
    int updated = pods.updated();
    int available = pods.available();
    if (!otherKinds.isEmpty()) {
      return new Progress(
          ConditionReason.SwitchingWorkload,
          "bringing up " + kind + " before removing " + String.join(", ", otherKinds));
    }
    if (!controllerCaughtUp) {
      return new Progress(
          ConditionReason.WaitingForController, "the " + kind + " has not been observed yet");
    }
    if (kind != WorkloadKind.ReplicaSet && updated < replicas) {
      return new Progress(ConditionReason.RollingOut, updated + "/" + desired + " pods updated");
    }
    if (replicas != desired) {
      return new Progress(ConditionReason.Scaling, replicas + " pods, " + desired + " desired");
    }
    if (ready < desired) {
      return new Progress(
          ConditionReason.WaitingForReadyPods, ready + "/" + desired + " pods ready");
    }
    if (available < desired) {
      return new Progress(
          ConditionReason.WaitingForAvailablePods, available + "/" + desired + " pods available");
    }
    return new Progress(ConditionReason.Complete, "all " + desired + " pods ready and up to date");
  }
}
