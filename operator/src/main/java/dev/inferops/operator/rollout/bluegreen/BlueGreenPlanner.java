package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.RevisionStates;
import dev.inferops.operator.rollout.RolloutCommands;
import dev.inferops.operator.rollout.ServiceEndpoints;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Intent;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what {@link BlueGreenRollout} decides from (informer caches, commands) and runs the smoke
 * test when the decision asks for it.
 */
public final class BlueGreenPlanner {

  private static final Logger log = LoggerFactory.getLogger(BlueGreenPlanner.class);

  private BlueGreenPlanner() {}

  /** Decides, running the smoke test if due. */
  static BlueGreenDecision plan(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      SmokeTester smoke,
      Instant now) {
    BlueGreenInput input = input(is, intent, context, now);
    BlueGreenDecision decision = BlueGreenRollout.decide(input);
    if (decision.smokeTestDue()) {
      String revision = decision.status().getPreviewRevision();
      SmokeTestResult result = smoke.runOnPreview(is, context, revision, now);
      decision = BlueGreenRollout.decide(input.withSmokeTest(result));
      log.info(
          "{}/{}: smoke test of revision {}, attempt {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          revision,
          decision.status().getSmokeTest().getAttempt(),
          result.getMessage());
    }
    return decision;
  }

  static BlueGreenInput input(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    Collection<Pod> pods = context.getSecondaryResources(Pod.class);
    String previewRevision =
        previewService(is, context)
            .map(s -> s.getSpec().getSelector())
            .map(sel -> sel.get(ResourceNaming.LABEL_REVISION))
            .orElse(null);
    return new BlueGreenInput(
        intent.revision(),
        EffectiveSpec.image(is),
        EffectiveSpec.replicas(is),
        is.getStatus() == null ? null : is.getStatus().getRollout(),
        RevisionStates.of(is, context, pods),
        previewRevision,
        previewRevision == null
            ? 0
            : ServiceEndpoints.ready(
                is, context, ResourceNaming.previewServiceName(is), pods, previewRevision),
        RolloutCommands.of(is),
        Optional.empty(),
        now,
        settings(is));
  }

  public static BlueGreenSettings settings(InferenceService is) {
    return new BlueGreenSettings(
        EffectiveSpec.progressDeadlineSeconds(is),
        EffectiveSpec.autoPromotionEnabled(is),
        EffectiveSpec.autoPromotionSeconds(is),
        EffectiveSpec.scaleDownDelaySeconds(is),
        EffectiveSpec.smokeTestEnabled(is),
        EffectiveSpec.revisionHistoryLimit(is),
        EffectiveSpec.previewReplicaCount(is));
  }

  private static Optional<Service> previewService(
      InferenceService is, Context<InferenceService> context) {
    return context.getSecondaryResources(Service.class).stream()
        .filter(s -> ResourceNaming.previewServiceName(is).equals(s.getMetadata().getName()))
        .findFirst();
  }
}
