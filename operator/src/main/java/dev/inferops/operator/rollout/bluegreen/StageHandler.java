package dev.inferops.operator.rollout.bluegreen;

/** Decides one step of a blue-green stage. */
interface StageHandler {
  void handle(BlueGreenStep step);
}
