package dev.inferops.operator.analysis;

/**
 * What one read of a pod's {@code /metrics} yields for the analysis.
 *
 * @param processStartSeconds {@code process_start_time_seconds}, NaN when the app did not expose it
 *     (yet: the app binds that gauge shortly after it opens its port)
 * @param tally its prediction requests since the process started
 * @param shadow its shadow counters since the process started
 */
record PodReading(double processStartSeconds, RequestTally tally, ShadowTally shadow) {

  /**
   * The requests since {@code baseline}, an earlier reading of the same pod, or all of them when
   * there is none (the pod appeared after the window started) or the container restarted in
   * between: then the counters began again from zero inside the window. A restart shows as a new
   * start time or, without one, as a counter that went down; a restart whose new counters have
   * already overtaken the old ones without a start time to tell is the one case this misses.
   */
  RequestTally since(PodReading baseline) {
    return startedAfter(baseline) ? tally : tally.minus(baseline.tally);
  }

  /** The shadow counters since {@code baseline}, as {@link #since} counts requests. */
  ShadowTally shadowSince(PodReading baseline) {
    return startedAfter(baseline) ? shadow : shadow.minus(baseline.shadow);
  }

  private boolean startedAfter(PodReading baseline) {
    return baseline == null
        || (!Double.isNaN(processStartSeconds)
            && !Double.isNaN(baseline.processStartSeconds)
            && processStartSeconds != baseline.processStartSeconds)
        || tally.fellBelow(baseline.tally)
        || shadow.fellBelow(baseline.shadow);
  }
}
