package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.analysis.Verdict;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a canary decision is made from. {@code listed} counts, per revision, the ready pods the
 * Service lists (or, without a Service, the ready pods); {@code previewListed} those of the desired
 * revision the preview Service lists. {@code smokeTest} and {@code verdict} are results just
 * obtained because a first decision asked for them.
 */
record CanaryInput(
    String desiredRevision,
    String desiredImage,
    int replicas,
    RolloutStatus previous,
    Map<String, RevisionState> revisions,
    Map<String, Integer> listed,
    int previewListed,
    Set<RolloutCommand> commands,
    Optional<SmokeTestResult> smokeTest,
    Optional<Verdict> verdict,
    Instant now,
    CanarySettings settings) {

  CanaryInput withSmokeTest(SmokeTestResult result) {
    return new CanaryInput(
        desiredRevision,
        desiredImage,
        replicas,
        previous,
        revisions,
        listed,
        previewListed,
        commands,
        Optional.of(result),
        verdict,
        now,
        settings);
  }

  CanaryInput withVerdict(Verdict result) {
    return new CanaryInput(
        desiredRevision,
        desiredImage,
        replicas,
        previous,
        revisions,
        listed,
        previewListed,
        commands,
        smokeTest,
        Optional.of(result),
        now,
        settings);
  }

  /** The ready pods of {@code revision} the Service lists. */
  int listed(String revision) {
    return revision == null ? 0 : listed.getOrDefault(revision, 0);
  }
}
