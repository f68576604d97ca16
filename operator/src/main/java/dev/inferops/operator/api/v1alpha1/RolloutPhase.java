package dev.inferops.operator.api.v1alpha1;

/** Where a blue-green rollout stands. */
public enum RolloutPhase {
  /** The new version is coming up or being checked. */
  Progressing,
  /** Every check passed; waiting for the promote command or autoPromotionSeconds. */
  Paused,
  /** The active Service switched; the old version keeps its pods for scaleDownDelaySeconds. */
  Promoting,
  /** One version, serving. */
  Healthy,
  /** The attempt was aborted or rolled back; the active Service stays on the old version. */
  Degraded
}
