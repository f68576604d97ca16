package dev.inferops.operator.testsupport;

import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Counting observed pods in assertions; "live" means not being deleted. */
public final class Pods {

  private Pods() {}

  public static List<Pod> live(List<Pod> pods) {
    return pods.stream().filter(p -> !PodStates.isTerminating(p)).toList();
  }

  public static long liveWithImage(List<Pod> pods, String image) {
    return live(pods).stream().filter(p -> image.equals(PodStates.image(p))).count();
  }

  public static long liveReady(List<Pod> pods) {
    return live(pods).stream().filter(PodStates::isReady).count();
  }
}
