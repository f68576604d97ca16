package dev.inferops.operator.analysis;

/**
 * A pod's shadow counters (or a sum of pods'): the requests it copied to the preview, the copies
 * compared and agreed, and those dropped (queue full) or failed (no 200 in time).
 */
public record ShadowTally(long copied, long compared, long agreed, long dropped, long failed) {

  public static final ShadowTally EMPTY = new ShadowTally(0, 0, 0, 0, 0);

  ShadowTally plus(ShadowTally o) {
    return new ShadowTally(
        copied + o.copied,
        compared + o.compared,
        agreed + o.agreed,
        dropped + o.dropped,
        failed + o.failed);
  }

  ShadowTally minus(ShadowTally o) {
    return new ShadowTally(
        copied - o.copied,
        compared - o.compared,
        agreed - o.agreed,
        dropped - o.dropped,
        failed - o.failed);
  }

  /** Whether any counter is lower than in {@code baseline}: the container started again. */
  boolean fellBelow(ShadowTally baseline) {
    return copied < baseline.copied
        || compared < baseline.compared
        || agreed < baseline.agreed
        || dropped < baseline.dropped
        || failed < baseline.failed;
  }
}
