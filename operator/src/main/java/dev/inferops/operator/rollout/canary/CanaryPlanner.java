package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.analysis.CanaryAnalyzer;
import dev.inferops.operator.analysis.Verdict;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RevisionStates;
import dev.inferops.operator.rollout.RolloutCommands;
import dev.inferops.operator.rollout.ServiceEndpoints;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Intent;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what {@link CanaryRollout} decides from (informer caches, commands), and runs the smoke
 * test or reads the pods' metrics when the decision asks for it.
 */
final class CanaryPlanner {

  private static final Logger log = LoggerFactory.getLogger(CanaryPlanner.class);

  private CanaryPlanner() {}

  static CanaryDecision plan(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      SmokeTester smoke,
      CanaryAnalyzer analyzer,
      Instant now) {
    Collection<Pod> pods = context.getSecondaryResources(Pod.class);
    CanaryInput input = input(is, intent, context, pods, now);
    CanaryDecision decision = CanaryRollout.decide(input);
    if (decision.smokeTestDue()) {
      SmokeTestResult result = smoke.runOnPreview(is, context, intent.revision(), now);
      input = input.withSmokeTest(result);
      decision = CanaryRollout.decide(input);
      log.info(
          "{}/{}: smoke test of canary revision {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          intent.revision(),
          result.getMessage());
    }
    if (decision.analysisDue()) {
      String window = decision.windowId();
      Verdict verdict =
          analyzer.analyse(
              ResourceID.fromResource(is),
              window,
              RevisionStates.livePods(is, pods, intent.revision()),
              RevisionStates.livePods(is, pods, decision.status().getActiveRevision()),
              EffectiveSpec.port(is),
              EffectiveSpec.canaryThresholds(is));
      input = input.withVerdict(verdict);
      decision = CanaryRollout.decide(input);
      log.info(
          "{}/{}: analysis of canary revision {} ({}): {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          intent.revision(),
          window,
          verdict.message());
    }
    if (decision.previewRevision() == null) {
      analyzer.forget(ResourceID.fromResource(is));
    }
    return decision;
  }

  private static CanaryInput input(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      Collection<Pod> pods,
      Instant now) {
    Map<String, RevisionState> revisions = RevisionStates.of(is, context, pods);
    Map<String, Integer> listed = new LinkedHashMap<>();
    revisions.forEach(
        (revision, state) ->
            listed.put(
                revision,
                EffectiveSpec.serviceEnabled(is)
                    ? ServiceEndpoints.ready(
                        is, context, ResourceNaming.serviceName(is), pods, revision)
                    : state.readyPods()));
    return new CanaryInput(
        intent.revision(),
        EffectiveSpec.image(is),
        EffectiveSpec.replicas(is),
        is.getStatus() == null ? null : is.getStatus().getRollout(),
        revisions,
        listed,
        ServiceEndpoints.ready(
            is, context, ResourceNaming.previewServiceName(is), pods, intent.revision()),
        RolloutCommands.of(is),
        Optional.empty(),
        Optional.empty(),
        now,
        CanarySettings.of(is));
  }
}
