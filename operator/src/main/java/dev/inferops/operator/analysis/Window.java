package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * An analysis window: its id and every pod's reading when it started.
 *
 * @param baseline readings by pod key (see {@link ReadablePods#key})
 */
record Window(String id, Map<String, PodReading> baseline) {

  Window {
    baseline = Map.copyOf(baseline);
  }

  /**
   * The requests {@code pods} served since the window started, summed; pods the window started
   * without count in full, pods gone since simply are not in {@code pods}.
   */
  RequestTally since(List<Pod> pods, PodReadings now) {
    RequestTally sum = RequestTally.EMPTY;
    for (Pod pod : pods) {
      sum = sum.plus(now.get(pod).since(baseline.get(ReadablePods.key(pod))));
    }
    return sum;
  }

  /** The shadow counters of {@code pods} since the window started, summed as {@link #since}. */
  ShadowTally shadowSince(List<Pod> pods, PodReadings now) {
    ShadowTally sum = ShadowTally.EMPTY;
    for (Pod pod : pods) {
      sum = sum.plus(now.get(pod).shadowSince(baseline.get(ReadablePods.key(pod))));
    }
    return sum;
  }
}
