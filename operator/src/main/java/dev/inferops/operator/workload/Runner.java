package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * The owned objects that can run an InferenceService's pods; its rollout strategy wants exactly one
 * of them, and the others go once that one runs every replica ({@link WorkloadSwitch}).
 */
public enum Runner {
  /** The Deployment {@code <name>}, replacing its pods by a rolling update. */
  ROLLING_DEPLOYMENT(WorkloadKind.Deployment),
  /** One Deployment {@code <name>-<revision>} per pod template, with a snapshot of it each. */
  REVISION_DEPLOYMENTS(WorkloadKind.Deployment),
  /** The ReplicaSet {@code <name>}. */
  REPLICA_SET(WorkloadKind.ReplicaSet),
  /** The bare pods {@code <name>-0..}. */
  BARE_PODS(WorkloadKind.Pod);

  private final WorkloadKind kind;

  Runner(WorkloadKind kind) {
    this.kind = kind;
  }

  /** Whether this runner's objects created {@code pod}: its kind, and a revision or not. */
  public boolean runs(Pod pod) {
    return PodStates.isKind(pod, kind)
        && (kind != WorkloadKind.Deployment
            || (this == REVISION_DEPLOYMENTS) == (PodStates.revision(pod) != null));
  }
}
