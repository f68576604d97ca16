package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.ImageStatus;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Replicas, images and selector: the pods of the workload, or of the revision a rollout follows.
 */
final class ReplicasStatusPart {

  private ReplicasStatusPart() {}

  static void addTo(StatusDraft draft) {
    InferenceService is = draft.is;
    WorkloadKind kind = draft.kind;
    String revision = draft.followedRevision().orElse(null);
    List<Pod> live =
        draft.observed.pods().stream()
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
                        || Objects.equals(revision, PodStates.revision(p)))
            .toList();
    int ready = (int) current.stream().filter(PodStates::isReady).count();
    int updated =
        (int)
            current.stream()
                .filter(p -> draft.templateHash.equals(PodStates.templateHash(p)))
                .count();
    int available =
        switch (kind) {
          case Deployment ->
              draft
                  .followedDeployment()
                  .map(d -> d.getStatus() == null ? null : d.getStatus().getAvailableReplicas())
                  .orElse(0);
          case ReplicaSet ->
              draft
                  .observed
                  .replicaSet()
                  .map(r -> r.getStatus() == null ? null : r.getStatus().getAvailableReplicas())
                  .orElse(0);
          case Pod -> ready;
        };
    draft.pods(
        new StatusDraft.Pods(live, current, ready, updated, available),
        images(live),
        ResourceNaming.selectorString(
            revision != null
                ? ResourceNaming.revisionSelector(is, revision)
                : ResourceNaming.workloadSelector(is, kind)));
  }

  /** Pods and ready pods per image, sorted by image. */
  private static List<ImageStatus> images(List<Pod> live) {
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
