package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;

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
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ResourceNaming.ANNOTATION_TEMPLATE_HASH);
  }

  /** The image of the app container (the first container if it was renamed). */
  public static String image(Pod pod) {
    List<Container> containers =
        pod.getSpec() == null || pod.getSpec().getContainers() == null
            ? List.of()
            : pod.getSpec().getContainers();
    return containers.stream()
        .filter(c -> ResourceNaming.CONTAINER_NAME.equals(c.getName()))
        .findFirst()
        .or(() -> containers.stream().findFirst())
        .map(Container::getImage)
        .orElse("");
  }

  /** The blue-green revision of a pod; null for pods of other workloads. */
  public static String revision(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    return labels == null ? null : labels.get(ResourceNaming.LABEL_REVISION);
  }

  /**
   * The first reason among the pods that waiting may not fix: a failing container (image pull,
   * crash loop) or an unschedulable pod.
   */
  public static java.util.Optional<String> worstProblem(java.util.Collection<Pod> pods) {
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      String name = pod.getMetadata().getName();
      for (var cs :
          java.util.Optional.ofNullable(pod.getStatus().getContainerStatuses())
              .orElse(java.util.List.of())) {
        if (cs.getState() != null
            && cs.getState().getWaiting() != null
            && cs.getState().getWaiting().getReason() != null
            && !"ContainerCreating".equals(cs.getState().getWaiting().getReason())) {
          return java.util.Optional.of(
              "pod "
                  + name
                  + ": "
                  + cs.getState().getWaiting().getReason()
                  + java.util.Optional.ofNullable(cs.getState().getWaiting().getMessage())
                      .map(m -> " (" + m + ")")
                      .orElse(""));
        }
      }
      for (var c :
          java.util.Optional.ofNullable(pod.getStatus().getConditions())
              .orElse(java.util.List.of())) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())) {
          return java.util.Optional.of(
              "pod "
                  + name
                  + ": "
                  + c.getReason()
                  + java.util.Optional.ofNullable(c.getMessage())
                      .map(m -> " (" + m + ")")
                      .orElse(""));
        }
      }
    }
    return java.util.Optional.empty();
  }
}
