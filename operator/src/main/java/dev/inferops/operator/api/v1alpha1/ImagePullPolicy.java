package dev.inferops.operator.api.v1alpha1;

/** Kubernetes' container image pull policies. */
public enum ImagePullPolicy {
  Always,
  IfNotPresent,
  Never
}
