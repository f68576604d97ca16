package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.workload.PodStates;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The revision Deployments of a blue-green or canary InferenceService, as a decision reads them.
 */
public final class RevisionStates {

  private RevisionStates() {}

  /** Every revision Deployment as the informers show it, and those only a snapshot still knows. */
  public static Map<String, RevisionState> of(
      InferenceService is, Context<InferenceService> context, Collection<Pod> pods) {
    Map<String, RevisionState> revisions = new LinkedHashMap<>();
    for (Deployment d :
        Revisions.revisionDeployments(is, context.getSecondaryResources(Deployment.class))) {
      String rev = d.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION);
      List<Pod> own = livePods(is, pods, rev);
      Long generation = d.getMetadata().getGeneration();
      Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
      revisions.put(
          rev,
          new RevisionState(
              rev,
              PodStates.appImage(d.getSpec().getTemplate().getSpec()),
              Optional.ofNullable(d.getSpec().getReplicas()).orElse(1),
              (int) own.stream().filter(PodStates::isReady).count(),
              generation == null || (observed != null && observed >= generation),
              created(d),
              PodStates.worstProblem(own).orElse(null)));
    }
    // A revision whose Deployment someone deleted is still known by its snapshot, and rebuilt.
    Revisions.revisionSnapshots(is, context.getSecondaryResources(ControllerRevision.class))
        .forEach(
            (rev, snapshot) ->
                revisions.computeIfAbsent(
                    rev,
                    r ->
                        new RevisionState(
                            r,
                            PodStates.appImage(Revisions.template(snapshot).getSpec()),
                            0,
                            0,
                            false,
                            created(snapshot),
                            "its Deployment was deleted; recreating it")));
    return revisions;
  }

  /** The pods of {@code revision} that are not terminating. */
  public static List<Pod> livePods(InferenceService is, Collection<Pod> pods, String revision) {
    return pods.stream()
        .filter(p -> !PodStates.isTerminating(p))
        .filter(p -> revision.equals(PodStates.revision(p)))
        .filter(p -> ResourceNaming.belongsTo(p, is))
        .toList();
  }

  private static Instant created(HasMetadata object) {
    return Optional.ofNullable(object.getMetadata().getCreationTimestamp())
        .map(Instant::parse)
        .orElse(null);
  }
}
