package dev.inferops.operator.status;

/**
 * Every reason the operator gives its conditions; {@link #name()} is the value written, so users
 * can match on a fixed set. A blue-green or canary rollout's reason is written to {@code
 * status.rollout.reason} first and becomes the reason of Progressing or Degraded from there.
 */
public enum ConditionReason {
  // Ready
  AllReplicasReady,
  ReplicasNotReady,

  // Progressing, from the workload's counts
  SwitchingWorkload,
  WaitingForController,
  RollingOut,
  Scaling,
  WaitingForReadyPods,
  WaitingForAvailablePods,
  /** Also the end of a blue-green rollout: the spec's revision is active and alone. */
  Complete,

  // Degraded
  AsExpected,
  Failing,
  ReconcileFailed,
  /**
   * Also the reason the Deployment controller gives its own Progressing condition when a rollout
   * times out; the operator reads it there under the same constant, as it is the same word.
   */
  ProgressDeadlineExceeded,
  RolledBack,

  // A blue-green rollout under way (status.rollout.reason)
  WaitingForPods,
  WaitingForPreviewPods,
  WaitingForPreviewEndpoints,
  RunningSmokeTest,
  RetryingSmokeTest,
  AutoPromotionPending,
  AwaitingPromotion,
  ScalingUpPreview,
  ComparingShadow,
  ScaleDownDelay,
  RollingBack,

  // A canary under way (status.rollout.reason); smoke tests and promotion as blue-green's
  SettingCanaryWeight,
  CanaryPaused,
  WaitingForCanaryTraffic,
  PromotingCanary,

  // A blue-green or canary rollout that ended badly (status.rollout.reason)
  SmokeTestFailed,
  CanaryAnalysisFailed,
  ShadowDisagreed,
  Aborted,
  RollbackFailed
}
