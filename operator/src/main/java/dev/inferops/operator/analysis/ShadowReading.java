package dev.inferops.operator.analysis;

/**
 * What the live pods' shadow counters showed when read: counts since the shadow started, or why
 * there are none.
 *
 * @param kind whether {@code tally} counts, or the read failed, or no live pod can copy
 * @param tally the counts since the shadow started for this preview; empty unless COUNTED
 * @param message what was read, or why nothing could be
 */
public record ShadowReading(Kind kind, ShadowTally tally, String message) {

  /** How far the reading got. */
  public enum Kind {
    /** {@code tally} holds the counts. */
    COUNTED,
    /** A live pod could not be read; the next read may succeed. */
    UNREAD,
    /** No live pod has the shadow settings file: they predate the shadow block. */
    IMPOSSIBLE
  }

  public static ShadowReading counted(ShadowTally tally, String message) {
    return new ShadowReading(Kind.COUNTED, tally, message);
  }

  public static ShadowReading unread(String message) {
    return new ShadowReading(Kind.UNREAD, ShadowTally.EMPTY, message);
  }

  public static ShadowReading impossible(String message) {
    return new ShadowReading(Kind.IMPOSSIBLE, ShadowTally.EMPTY, message);
  }
}
