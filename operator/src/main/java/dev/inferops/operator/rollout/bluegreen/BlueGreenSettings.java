package dev.inferops.operator.rollout.bluegreen;

/** The spec's rollout settings, defaults filled in. */
public record BlueGreenSettings(
    int progressDeadlineSeconds,
    boolean autoPromotion,
    int autoPromotionSeconds,
    int scaleDownDelaySeconds,
    boolean smokeTestEnabled,
    int revisionHistoryLimit,
    int previewReplicaCount) {}
