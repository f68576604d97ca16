package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.ShadowSpec;
import java.util.Optional;

/** The spec's rollout settings, defaults filled in; {@code shadow} empty without a shadow. */
public record BlueGreenSettings(
    int progressDeadlineSeconds,
    boolean autoPromotion,
    int autoPromotionSeconds,
    int scaleDownDelaySeconds,
    boolean smokeTestEnabled,
    int revisionHistoryLimit,
    int previewReplicaCount,
    Optional<ShadowSpec> shadow) {}
