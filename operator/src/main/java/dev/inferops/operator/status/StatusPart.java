package dev.inferops.operator.status;

/**
 * What a rollout adds to the status. It is asked before the workload's parts, as the revision it
 * follows decides what they count, and its findings take precedence over theirs.
 */
@FunctionalInterface
public interface StatusPart {

  /** A workload without a rollout of its own adds nothing. */
  StatusPart NONE = draft -> {};

  void addTo(StatusDraft draft);
}
