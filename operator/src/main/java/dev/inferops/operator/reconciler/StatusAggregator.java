package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.ImageStatus;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.RollingUpdateRollout;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.status.ConditionReason;
import dev.inferops.operator.status.Conditions;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.PodStates;
import dev.inferops.operator.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Derives the whole status of an InferenceService from what the informers show. Pure: the same
 * inputs give an equal status, so an unchanged cluster causes no status write.
 */
public final class StatusAggregator {

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

  private StatusAggregator() {}

  /** The status, keeping the last rollout status of a blue-green or rolling InferenceService. */
  public static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, Instant now) {
    RolloutStatus rollout =
        EffectiveSpec.blueGreen(is) && is.getStatus() != null ? is.getStatus().getRollout() : null;
    return aggregate(is, observed, rollout, now);
  }

  /** As below, keeping a rolling Deployment's last {@code status.rollingUpdate}. */
  public static InferenceServiceStatus aggregate(
      InferenceService is, ObservedState observed, RolloutStatus rollout, Instant now) {
    RollingUpdateStatus rolling =
        EffectiveSpec.rollingDeployment(is) && is.getStatus() != null
            ? is.getStatus().getRollingUpdate()
            : null;
    return aggregate(is, observed, rollout, rolling, now);
  }

  /**
   * The status; {@code rollout} is the blue-green decision's rollout status (null otherwise), and
   * the counts, selector and conditions then follow the active revision; {@code rolling} is the
   * rolling Deployment's decided {@code status.rollingUpdate} (null otherwise).
   */
  public static InferenceServiceStatus aggregate(
      InferenceService is,
      ObservedState observed,
      RolloutStatus rollout,
      RollingUpdateStatus rolling,
      Instant now) {
    WorkloadKind kind = EffectiveSpec.workload(is);
    if (!EffectiveSpec.rollingDeployment(is)) {
      rolling = null;
    }
    boolean rolledBack = RollingUpdateRollout.rolledBack(rolling);
    boolean blueGreen =
        rollout != null && rollout.getActiveRevision() != null && EffectiveSpec.blueGreen(is);
    String activeRevision = blueGreen ? rollout.getActiveRevision() : null;
    Optional<Deployment> workloadDeployment =
        blueGreen ? observed.revision(activeRevision) : observed.deployment();
    int desired = EffectiveSpec.replicas(is);
    Long generation = is.getMetadata().getGeneration();
    String hash =
        PodTemplates.templateHash(is, kind, ModelConfigMap.hash(is, observed.modelConfigMap()));

    List<Pod> live =
        observed.pods().stream()
            .filter(p -> !PodStates.isTerminating(p))
            .filter(p -> ResourceNaming.belongsTo(p, is))
            .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
            .toList();
    List<Pod> current =
        live.stream()
            .filter(p -> PodStates.isKind(p, kind))
            .filter(
                p ->
                    kind != WorkloadKind.Deployment
                        || Objects.equals(activeRevision, PodStates.revision(p)))
            .toList();
    int replicas = current.size();
    int ready = (int) current.stream().filter(PodStates::isReady).count();
    int updated =
        (int) current.stream().filter(p -> hash.equals(PodStates.templateHash(p))).count();
    int available =
        switch (kind) {
          case Deployment ->
              workloadDeployment
                  .map(d -> d.getStatus() == null ? null : d.getStatus().getAvailableReplicas())
                  .orElse(0);
          case ReplicaSet ->
              observed
                  .replicaSet()
                  .map(r -> r.getStatus() == null ? null : r.getStatus().getAvailableReplicas())
                  .orElse(0);
          case Pod -> ready;
        };

    List<String> otherKinds = new ArrayList<>(otherKinds(kind, live, observed));
    if (kind == WorkloadKind.Deployment && blueGreen && observed.deployment().isPresent()) {
      otherKinds.add("the rolling Deployment");
    }
    if (kind == WorkloadKind.Deployment && !blueGreen && !observed.revisions().isEmpty()) {
      otherKinds.add("the blue-green revisions");
    }
    List<String> problems = new ArrayList<>();
    ModelConfigMap.problem(is, observed.modelConfigMap()).ifPresent(problems::add);
    String degradedReason = ConditionReason.Failing.name();
    if (blueGreen) {
      problems.addAll(problems(current, observed, WorkloadKind.Pod));
      if (rollout.getPhase() == RolloutPhase.Degraded) {
        problems.add(0, rollout.getMessage());
        degradedReason = rollout.getReason();
      }
    } else {
      problems.addAll(problems(current, observed, kind));
      if (rolledBack) {
        // The Deployment runs the old template again; the failed pods' reason is remembered.
        problems.add(0, RollingUpdateRollout.rolledBackMessage(rolling));
        degradedReason = ConditionReason.RolledBack.name();
      } else if (kind == WorkloadKind.Deployment
          && observed.deployment().flatMap(StatusAggregator::deadlineExceeded).isPresent()) {
        degradedReason = ConditionReason.ProgressDeadlineExceeded.name();
        // The Deployment's own message says only that it timed out; the pods say why.
        List<Pod> waiting = current.stream().filter(p -> !PodStates.isReady(p)).toList();
        PodStates.worstProblem(waiting)
            .filter(p -> problems.stream().noneMatch(q -> q.startsWith(p.split(":")[0] + ":")))
            .ifPresent(problems::add);
        RollingUpdateRollout.notRolledBackMessage(rolling).ifPresent(problems::add);
      }
    }
    boolean controllerCaughtUp =
        blueGreen
            ? workloadDeployment
                .map(
                    d ->
                        caughtUp(
                            d,
                            d.getStatus() == null ? null : d.getStatus().getObservedGeneration()))
                .orElse(false)
            : controllerCaughtUp(kind, observed);
    boolean converged =
        (!blueGreen || rollout.getPhase() == RolloutPhase.Healthy)
            && otherKinds.isEmpty()
            && controllerCaughtUp
            && replicas == desired
            && ready >= desired
            && available >= desired
            && (kind == WorkloadKind.ReplicaSet || updated >= desired);

    Phase phase;
    if (!problems.isEmpty()) {
      phase = Phase.Degraded;
    } else if (converged) {
      phase = Phase.Ready;
    } else if (ready == 0 && desired > 0) {
      phase = Phase.Pending;
    } else {
      phase = Phase.Progressing;
    }

    List<Condition> previous = is.getStatus() == null ? List.of() : is.getStatus().getConditions();
    Progress progress;
    if (blueGreen && rollout.getPhase() != RolloutPhase.Healthy) {
      progress = new Progress(rollout.getReason(), rollout.getMessage());
    } else if (rolledBack) {
      progress =
          new Progress(
              ConditionReason.RolledBack,
              "revision "
                  + rolling.getAvailableRevision()
                  + " runs instead of the failed revision "
                  + rolling.getFailedRevision());
    } else {
      progress =
          progress(
              kind, desired, replicas, ready, updated, available, otherKinds, controllerCaughtUp);
    }
    String readyMessage = ready + "/" + desired + " pods ready";
    // With every pod ready, Ready is False for another cause, named rather than "pods not ready".
    String notReadyReason = ConditionReason.ReplicasNotReady.name();
    if (phase != Phase.Ready && ready >= desired) {
      notReadyReason = problems.isEmpty() ? progress.reason() : degradedReason;
      readyMessage +=
          problems.isEmpty() ? "; " + progress.message() : ", but Degraded: " + degradedReason;
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(
        Conditions.condition(
            previous,
            Conditions.READY,
            phase == Phase.Ready,
            phase == Phase.Ready ? ConditionReason.AllReplicasReady.name() : notReadyReason,
            readyMessage,
            generation,
            now));
    conditions.add(
        Conditions.condition(
            previous,
            Conditions.PROGRESSING,
            // Nothing moves towards the spec after a rollback until it changes or is retried.
            !converged && !rolledBack,
            progress.reason(),
            progress.message(),
            generation,
            now));
    conditions.add(
        Conditions.condition(
            previous,
            Conditions.DEGRADED,
            !problems.isEmpty(),
            problems.isEmpty() ? ConditionReason.AsExpected.name() : degradedReason,
            problems.isEmpty() ? "no failures observed" : summarize(problems),
            generation,
            now));

    InferenceServiceStatus status = new InferenceServiceStatus();
    status.setObservedGeneration(generation);
    status.setPhase(phase);
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    status.setUpdatedReplicas(updated);
    status.setAvailableReplicas(available);
    status.setConditions(conditions);
    status.setImages(images(live));
    status.setSelector(
        ResourceNaming.selectorString(
            blueGreen
                ? ResourceNaming.revisionSelector(is, activeRevision)
                : ResourceNaming.workloadSelector(is, kind)));
    status.setRollout(rollout);
    status.setRollingUpdate(rolling);
    status.setUrl(EffectiveSpec.serviceEnabled(is) ? ResourceNaming.serviceUrl(is) : null);
    return status;
  }

  /** The status with Degraded set to the reconcile error, for when the workflow failed. */
  public static InferenceServiceStatus withError(
      InferenceServiceStatus status, InferenceService is, String error, Instant now) {
    List<Condition> previous = is.getStatus() == null ? List.of() : is.getStatus().getConditions();
    List<Condition> conditions = new ArrayList<>(status.getConditions());
    conditions.removeIf(c -> Conditions.DEGRADED.equals(c.getType()));
    conditions.add(
        Conditions.condition(
            previous,
            Conditions.DEGRADED,
            true,
            ConditionReason.ReconcileFailed,
            error,
            is.getMetadata().getGeneration(),
            now));
    status.setConditions(conditions);
    status.setPhase(Phase.Degraded);
    return status;
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

  /** Whether the workload controller has seen the latest workload spec. */
  private static boolean controllerCaughtUp(WorkloadKind kind, ObservedState observed) {
    return switch (kind) {
      case Deployment ->
          observed
              .deployment()
              .map(
                  d ->
                      caughtUp(
                          d, d.getStatus() == null ? null : d.getStatus().getObservedGeneration()))
              .orElse(false);
      case ReplicaSet ->
          observed
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

  /** Reason and message of the Progressing condition. */
  private record Progress(String reason, String message) {
    Progress(ConditionReason reason, String message) {
      this(reason.name(), message);
    }
  }

  private static Progress progress(
      WorkloadKind kind,
      int desired,
      int replicas,
      int ready,
      int updated,
      int available,
      List<String> otherKinds,
      boolean controllerCaughtUp) {
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

  /** Failures that waiting will not fix, in a stable order. */
  static List<String> problems(List<Pod> current, ObservedState observed, WorkloadKind kind) {
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
    if (kind == WorkloadKind.Deployment) {
      observed.deployment().flatMap(StatusAggregator::deploymentFailure).ifPresent(problems::add);
    }
    if (kind == WorkloadKind.ReplicaSet) {
      observed.replicaSet().flatMap(StatusAggregator::replicaSetFailure).ifPresent(problems::add);
    }
    return problems;
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
        .map(c -> c.getMessage())
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

  /** Pods and ready pods per image, sorted by image. */
  static List<ImageStatus> images(List<Pod> live) {
    Map<String, int[]> counts = new TreeMap<>();
    for (Pod pod : live) {
      int[] c = counts.computeIfAbsent(PodStates.image(pod), k -> new int[2]);
      c[0]++;
      if (PodStates.isReady(pod)) {
        c[1]++;
      }
    }
    List<ImageStatus> images = new ArrayList<>();
    counts.forEach((image, c) -> images.add(new ImageStatus(image, c[0], c[1])));
    return images;
  }
}
