package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.InconclusivePolicy;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.spec.EffectiveSpec;
import java.util.List;

/** The spec's canary settings, defaults applied. */
record CanarySettings(
    List<CanaryStep> steps,
    boolean analysisEnabled,
    int analysisIntervalSeconds,
    InconclusivePolicy inconclusive,
    int progressDeadlineSeconds,
    boolean smokeTestEnabled) {

  static CanarySettings of(InferenceService is) {
    return new CanarySettings(
        List.copyOf(EffectiveSpec.canarySteps(is)),
        EffectiveSpec.canaryAnalysisEnabled(is),
        EffectiveSpec.canaryAnalysisIntervalSeconds(is),
        EffectiveSpec.canaryInconclusive(is),
        EffectiveSpec.progressDeadlineSeconds(is),
        EffectiveSpec.smokeTestEnabled(is));
  }
}
