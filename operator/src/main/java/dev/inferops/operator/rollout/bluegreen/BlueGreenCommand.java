package dev.inferops.operator.rollout.bluegreen;

/** A user's command, given as an annotation on the InferenceService. */
public enum BlueGreenCommand {
  PROMOTE,
  ABORT,
  ROLLBACK,
  RETRY
}
