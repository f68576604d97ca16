package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Collection;
import java.util.Objects;

/**
 * Decides when the objects of a workload kind that is no longer wanted may go: only once the wanted
 * kind runs all its replicas ready, so a switch never leaves the Service without pods.
 */
public final class WorkloadSwitch {

  private WorkloadSwitch() {}

  /**
   * Whether the wanted kind runs {@code replicas} ready pods of its current template; {@code
   * modelHash} as for {@link PodTemplates#desired}.
   */
  public static boolean wantedKindReady(
      InferenceService is, String modelHash, Collection<Pod> pods) {
    WorkloadKind wanted = EffectiveSpec.workload(is);
    boolean blueGreen = EffectiveSpec.blueGreen(is);
    // A ReplicaSet never replaces pods on a template change, so any of its ready pods count.
    String hash =
        wanted == WorkloadKind.ReplicaSet ? null : PodTemplates.templateHash(is, wanted, modelHash);
    long ready =
        pods.stream()
            .filter(p -> !PodStates.isTerminating(p))
            .filter(p -> PodStates.isKind(p, wanted))
            // Blue-green revisions run the same template as the rolling Deployment would.
            .filter(
                p ->
                    wanted != WorkloadKind.Deployment
                        || blueGreen == (PodStates.revision(p) != null))
            .filter(p -> hash == null || hash.equals(PodStates.templateHash(p)))
            .filter(PodStates::isReady)
            .count();
    return ready >= EffectiveSpec.replicas(is);
  }

  /** Whether objects of the given kind still exist for this InferenceService. */
  public static boolean exists(
      WorkloadKind kind, InferenceService is, Context<InferenceService> context) {
    return switch (kind) {
      case Deployment -> named(context.getSecondaryResources(Deployment.class), is);
      case ReplicaSet -> named(context.getSecondaryResources(ReplicaSet.class), is);
      case Pod -> context.getSecondaryResources(Pod.class).stream().anyMatch(p -> isBarePod(p, is));
    };
  }

  /** Whether the objects of the given kind should be kept (wanted, or still needed). */
  public static boolean keep(
      WorkloadKind kind, InferenceService is, Context<InferenceService> context) {
    if (EffectiveSpec.workload(is) == kind
        && !(kind == WorkloadKind.Deployment && EffectiveSpec.blueGreen(is))) {
      return true;
    }
    return exists(kind, is, context)
        && !wantedKindReady(
            is, ModelConfigMap.hash(is, context), context.getSecondaryResources(Pod.class));
  }

  /** A bare pod of the Pod workload owned by this InferenceService. */
  public static boolean isBarePod(Pod pod, InferenceService is) {
    return PodStates.isKind(pod, WorkloadKind.Pod)
        && pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Objects.equals(o.getUid(), is.getMetadata().getUid()));
  }

  private static boolean named(Collection<? extends HasMetadata> objects, InferenceService is) {
    return objects.stream()
        .anyMatch(o -> ResourceNaming.workloadName(is).equals(o.getMetadata().getName()));
  }
}
