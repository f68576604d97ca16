package dev.inferops.operator.rollout;

/** A user's command, given as an annotation on the InferenceService. */
public enum RolloutCommand {
  PROMOTE,
  ABORT,
  ROLLBACK,
  RETRY
}
