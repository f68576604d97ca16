package dev.inferops.operator.api.v1alpha1;

/** How a Deployment replaces its pods. */
public enum StrategyType {
  RollingUpdate,
  BlueGreen,
  Canary
}
