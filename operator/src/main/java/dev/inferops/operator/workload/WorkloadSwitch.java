package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what becomes of each runner's objects: the wanted one's are applied, the others' are kept
 * untouched until the wanted one runs all its replicas ready, so a switch never leaves the Service
 * without pods, and deleted after.
 */
public final class WorkloadSwitch {

  /** What the workflow does with a runner's objects in this reconcile. */
  public enum Presence {
    /** Applied as desired. */
    RUN,
    /** Left as they are while the wanted runner comes up. */
    KEEP,
    /** Deleted. */
    REMOVE
  }

  private WorkloadSwitch() {}

  /** The presence of every runner's objects when {@code wanted} is the one to run. */
  public static Map<Runner, Presence> presence(
      Runner wanted, Intent intent, InferenceService is, ObservedState observed) {
    boolean wantedReady =
        wantedReady(wanted, intent.templateHash(), EffectiveSpec.replicas(is), observed.pods());
    Map<Runner, Presence> presence = new EnumMap<>(Runner.class);
    for (Runner runner : Runner.values()) {
      Presence p;
      if (runner == wanted) {
        p = Presence.RUN;
      } else if (exists(runner, is, observed) && !wantedReady) {
        p = Presence.KEEP;
      } else {
        p = Presence.REMOVE;
      }
      presence.put(runner, p);
    }
    return presence;
  }

  /** Whether the wanted runner has {@code replicas} ready pods of the current template. */
  static boolean wantedReady(
      Runner wanted, String templateHash, int replicas, Collection<Pod> pods) {
    // A ReplicaSet never replaces pods on a template change, so any of its ready pods count.
    String hash = wanted == Runner.REPLICA_SET ? null : templateHash;
    long ready =
        pods.stream()
            .filter(p -> !PodStates.isTerminating(p))
            .filter(wanted::runs)
            .filter(p -> hash == null || hash.equals(PodStates.templateHash(p)))
            .filter(PodStates::isReady)
            .count();
    return ready >= replicas;
  }

  /** Whether objects of the runner still exist for this InferenceService. */
  private static boolean exists(Runner runner, InferenceService is, ObservedState observed) {
    return switch (runner) {
      case ROLLING_DEPLOYMENT -> observed.deployment().isPresent();
      case REVISION_DEPLOYMENTS -> !observed.revisions().isEmpty();
      case REPLICA_SET -> observed.replicaSet().isPresent();
      case BARE_PODS -> observed.pods().stream().anyMatch(p -> isBarePod(p, is));
    };
  }

  /** A bare pod of the Pod workload owned by this InferenceService. */
  public static boolean isBarePod(Pod pod, InferenceService is) {
    return PodStates.isKind(pod, WorkloadKind.Pod)
        && pod.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> Objects.equals(o.getUid(), is.getMetadata().getUid()));
  }
}
