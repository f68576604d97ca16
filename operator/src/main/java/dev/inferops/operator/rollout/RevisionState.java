package dev.inferops.operator.rollout;

import java.time.Instant;

/** One revision Deployment as the informers show it; {@code problem} is its pods' worst. */
public record RevisionState(
    String revision,
    String image,
    int specReplicas,
    int readyPods,
    boolean caughtUp,
    Instant created,
    String problem) {

  public boolean runs(int replicas) {
    return caughtUp && specReplicas >= replicas && readyPods >= replicas;
  }
}
