package dev.inferops.operator.api.v1alpha1;

/** The Kubernetes object kind that runs the inference pods. */
public enum WorkloadKind {
  Pod,
  ReplicaSet,
  Deployment
}
