package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.analysis.ShadowReading;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the decision is made from; {@code previewServiceRevision} is the revision the preview
 * Service selects now and {@code previewReadyEndpoints} the ready endpoints its EndpointSlices
 * list; {@code smokeTest} is a result just obtained for the preview, if one was run, and {@code
 * shadow} the live pods' shadow counters, if just read.
 */
public record BlueGreenInput(
    String desiredRevision,
    String desiredImage,
    int replicas,
    RolloutStatus previous,
    Map<String, RevisionState> revisions,
    String previewServiceRevision,
    int previewReadyEndpoints,
    Set<RolloutCommand> commands,
    Optional<SmokeTestResult> smokeTest,
    Optional<ShadowReading> shadow,
    Instant now,
    BlueGreenSettings settings) {

  /** The same input with the result of the smoke test a first decision asked for. */
  public BlueGreenInput withSmokeTest(SmokeTestResult result) {
    return new BlueGreenInput(
        desiredRevision,
        desiredImage,
        replicas,
        previous,
        revisions,
        previewServiceRevision,
        previewReadyEndpoints,
        commands,
        Optional.of(result),
        shadow,
        now,
        settings);
  }

  /** The same input with the shadow reading a first decision asked for. */
  public BlueGreenInput withShadow(ShadowReading reading) {
    return new BlueGreenInput(
        desiredRevision,
        desiredImage,
        replicas,
        previous,
        revisions,
        previewServiceRevision,
        previewReadyEndpoints,
        commands,
        smokeTest,
        Optional.of(reading),
        now,
        settings);
  }
}
