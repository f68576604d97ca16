package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the informers currently show for one InferenceService; {@code modelConfigMap} is the
 * ConfigMap its spec.model names, empty without a model or when it is missing.
 */
public record ObservedState(
    List<Pod> pods,
    Optional<Deployment> deployment,
    Optional<ReplicaSet> replicaSet,
    Optional<ConfigMap> modelConfigMap,
    List<Deployment> revisions) {

  public ObservedState {
    pods = List.copyOf(pods);
    revisions = List.copyOf(revisions);
  }

  /** Without blue-green revision Deployments. */
  public ObservedState(
      List<Pod> pods,
      Optional<Deployment> deployment,
      Optional<ReplicaSet> replicaSet,
      Optional<ConfigMap> modelConfigMap) {
    this(pods, deployment, replicaSet, modelConfigMap, List.of());
  }

  /** The blue-green Deployment of a revision. */
  public Optional<Deployment> revision(String revision) {
    return revisions.stream()
        .filter(
            d -> revision.equals(d.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION)))
        .findFirst();
  }

  public static ObservedState of(List<Pod> pods) {
    return new ObservedState(pods, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** Reads the informer caches through the reconcile context. */
  public static ObservedState from(InferenceService is, Context<InferenceService> context) {
    return new ObservedState(
        List.copyOf(context.getSecondaryResources(Pod.class)),
        named(context.getSecondaryResources(Deployment.class), is),
        named(context.getSecondaryResources(ReplicaSet.class), is),
        ModelConfigMap.observed(is, context),
        Revisions.revisionDeployments(is, context.getSecondaryResources(Deployment.class)));
  }

  private static <T extends HasMetadata> Optional<T> named(
      Collection<T> objects, InferenceService is) {
    return objects.stream()
        .filter(o -> ResourceNaming.workloadName(is).equals(o.getMetadata().getName()))
        .findFirst();
  }
}
