package dev.inferops.operator.api.v1alpha1;

/** The coarse lifecycle state shown by `kubectl get infsvc`. */
public enum Phase {
  Pending,
  Progressing,
  Ready,
  Degraded
}
