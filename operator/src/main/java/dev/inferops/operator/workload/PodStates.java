package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Small questions about observed pods, shared by the workload conditions and the status. */
public final class PodStates {

  private PodStates() {}

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean isReady(Pod pod) {
    return pod.getStatus() != null
        && pod.getStatus().getConditions() != null
        && pod.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  public static Optional<WorkloadKind> kind(Pod pod) {
    return ResourceNaming.workloadOf(pod.getMetadata().getLabels());
  }

  public static boolean isKind(Pod pod, WorkloadKind kind) {
    return kind(pod).filter(kind::equals).isPresent();
  }

  public static String templateHash(Pod pod) {
    return templateHash(pod.getMetadata());
  }

  /** The operator's template-hash annotation on a pod or a pod template. */
  public static String templateHash(ObjectMeta metadata) {
    var annotations = metadata == null ? null : metadata.getAnnotations();
    return annotations == null ? null : annotations.get(ResourceNaming.ANNOTATION_TEMPLATE_HASH);
  }

  /** The image of the app container (the first container if it was renamed); "" for none. */
  public static String image(Pod pod) {
    return Optional.ofNullable(appImage(pod.getSpec())).orElse("");
  }

  /** The image of the app container of a pod spec (the first if it was renamed), or null. */
  public static String appImage(PodSpec spec) {
    List<Container> containers =
        spec == null || spec.getContainers() == null ? List.of() : spec.getContainers();
    return containers.stream()
        .filter(c -> ResourceNaming.CONTAINER_NAME.equals(c.getName()))
        .findFirst()
        .or(() -> containers.stream().findFirst())
        .map(Container::getImage)
        .orElse(null);
  }

  /** The blue-green revision of a pod; null for pods of other workloads. */
  public static String revision(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(ResourceNaming.LABEL_REVISION);
  }

  /** Waiting reasons of a container that only waits for the pod: not a problem of its own. */
  private static final Set<String> STARTING_REASONS =
      Set.of("ContainerCreating", "PodInitializing");

  /**
   * The first reason among the pods that waiting may not fix: a failing init container (a model
   * download) or container (image pull, crash loop, with how its last run ended) or an
   * unschedulable pod.
   */
  public static Optional<String> worstProblem(Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (ContainerStatus cs :
          Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of())) {
        Optional<String> problem = containerProblem(cs);
        if (problem.isPresent()) {
          return Optional.of("pod " + name + ": init container " + cs.getName() + problem.get());
        }
      }
      for (ContainerStatus cs :
          Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of())) {
        Optional<String> problem = containerProblem(cs);
        if (problem.isPresent()) {
          // The app container is the pod's own: "pod x: CrashLoopBackOff ...", as before.
          return Optional.of("pod " + name + problem.get().replaceFirst("^ ", ": "));
        }
      }
      for (PodCondition c :
          Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of())) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return Optional.of(
              "pod "
                  + name
                  + ": "
                  + c.getReason()
                  + Optional.ofNullable(c.getMessage()).map(m -> " (" + m + ")").orElse(""));
        }
      }
    }
    return Optional.empty();
  }

  /**
   * What is wrong with a container that waiting may not fix, as the rest of a line after its name:
   * {@code : CrashLoopBackOff (...); last exit code 1: ...} or {@code restarted 2 times; ...}.
   */
  private static Optional<String> containerProblem(ContainerStatus cs) {
    ContainerStateWaiting waiting = cs.getState() == null ? null : cs.getState().getWaiting();
    ContainerStateTerminated ended = cs.getState() == null ? null : cs.getState().getTerminated();
    if (waiting != null
        && waiting.getReason() != null
        && !STARTING_REASONS.contains(waiting.getReason())) {
      return Optional.of(
          ": "
              + waiting.getReason()
              + Optional.ofNullable(waiting.getMessage()).map(m -> " (" + m + ")").orElse("")
              + lastExit(cs));
    }
    boolean restarted = cs.getRestartCount() != null && cs.getRestartCount() > 0;
    if (waiting == null && ended == null && restarted && !Boolean.TRUE.equals(cs.getReady())) {
      // Started again after a crash, not ready yet: the last run says why.
      String last = lastExit(cs);
      if (!last.isEmpty()) {
        return Optional.of(
            " restarted "
                + (cs.getRestartCount() == 1 ? "once" : cs.getRestartCount() + " times")
                + last);
      }
    }
    if (ended != null && ended.getExitCode() != null && ended.getExitCode() != 0) {
      // Between a crash and the kubelet's back-off the container shows as terminated.
      return Optional.of(
          ": "
              + Optional.ofNullable(ended.getReason()).orElse("Terminated")
              + exit("exit code ", ended));
    }
    return Optional.empty();
  }

  /** Longest termination message quoted: a status message stays one readable line. */
  static final int TERMINATION_MESSAGE_CHARS = 200;

  /** How the container's previous run ended ({@link #exit}), or "" when it has none. */
  public static String lastExit(ContainerStatus cs) {
    return cs.getLastState() == null
        ? ""
        : exit("last exit code ", cs.getLastState().getTerminated());
  }

  /**
   * How a run ended, e.g. {@code ; last exit code 2: inference-app: invalid setting: …}, or "" for
   * none: the termination message is the container's last log lines when it wrote none
   * (FallbackToLogsOnError), of which the last non-blank one is quoted.
   */
  private static String exit(String label, ContainerStateTerminated run) {
    if (run == null || run.getExitCode() == null) {
      return "";
    }
    String message =
        Optional.ofNullable(run.getMessage()).stream()
            .flatMap(String::lines)
            .map(String::strip)
            .filter(l -> !l.isEmpty())
            .reduce((first, second) -> second)
            .map(
                l ->
                    l.length() > TERMINATION_MESSAGE_CHARS
                        ? l.substring(0, TERMINATION_MESSAGE_CHARS) + "…"
                        : l)
            .map(l -> ": " + l)
            .orElse("");
    return "; " + label + run.getExitCode() + message;
  }
}
