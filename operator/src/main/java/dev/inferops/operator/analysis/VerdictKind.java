package dev.inferops.operator.analysis;

/** The outcome of judging one analysis window. */
public enum VerdictKind {
  /** The canary is no worse than stable on every measure. */
  PASSED,
  /** The canary is worse on one measure; the rollout aborts the canary. */
  FAILED,
  /** Not enough to judge yet: the window just started, too little traffic, or unreadable pods. */
  INCONCLUSIVE
}
