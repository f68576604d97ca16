package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.analysis.ShadowMeter;
import dev.inferops.operator.analysis.ShadowReading;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.ShadowStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.RevisionStates;
import dev.inferops.operator.rollout.RolloutCommands;
import dev.inferops.operator.rollout.ServiceEndpoints;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ShadowFiles;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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

  /** Decides, running the smoke test and reading the shadow's counters if due. */
  static BlueGreenDecision plan(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      SmokeTester smoke,
      ShadowMeter shadowMeter,
      Instant now) {
    BlueGreenInput input = input(is, intent, context, now);
    BlueGreenDecision decision = BlueGreenRollout.decide(input);
    if (decision.smokeTestDue()) {
      String revision = decision.status().getPreviewRevision();
      SmokeTestResult result = smoke.runOnPreview(is, context, revision, now);
      input = input.withSmokeTest(result);
      decision = BlueGreenRollout.decide(input);
      log.info(
          "{}/{}: smoke test of revision {}, attempt {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          revision,
          decision.status().getSmokeTest().getAttempt(),
          result.getMessage());
    }
    if (decision.shadowReadingDue()) {
      ShadowReading reading = readShadow(is, context, shadowMeter, decision.status());
      decision = BlueGreenRollout.decide(input.withShadow(reading));
      log.info(
          "{}/{}: shadow of revision {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          Optional.ofNullable(decision.status().getShadow())
              .map(ShadowStatus::getRevision)
              .orElse(decision.status().getPreviewRevision()),
          Optional.ofNullable(decision.status().getShadow())
              .map(ShadowStatus::getMessage)
              .orElse(reading.message()));
    }
    if (decision.shadowSource() == null) {
      shadowMeter.forget(ResourceID.fromResource(is));
    }
    return decision;
  }

  /**
   * The live pods' shadow counters since this preview's shadow started; impossible when none of
   * them mounts the shadow settings (they were created before the spec had a shadow block).
   */
  private static ShadowReading readShadow(
      InferenceService is, Context<InferenceService> context, ShadowMeter meter, RolloutStatus st) {
    List<Pod> live =
        RevisionStates.livePods(
            is, context.getSecondaryResources(Pod.class), st.getActiveRevision());
    boolean canCopy =
        live.stream()
            .anyMatch(
                p ->
                    p.getSpec().getVolumes().stream()
                        .anyMatch(v -> ShadowFiles.VOLUME.equals(v.getName())));
    if (!live.isEmpty() && !canCopy) {
      return ShadowReading.impossible(
          "the pods of live revision "
              + st.getActiveRevision()
              + " were created before the shadow block was set, so they have no shadow settings"
              + " file; the shadow runs from the next rollout on");
    }
    return meter.read(
        ResourceID.fromResource(is),
        st.getPreviewRevision() + "@" + st.getVerifiedAt(),
        live,
        EffectiveSpec.port(is));
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
        EffectiveSpec.previewReplicaCount(is),
        EffectiveSpec.shadow(is));
  }

  private static Optional<Service> previewService(
      InferenceService is, Context<InferenceService> context) {
    return context.getSecondaryResources(Service.class).stream()
        .filter(s -> ResourceNaming.previewServiceName(is).equals(s.getMetadata().getName()))
        .findFirst();
  }
}
