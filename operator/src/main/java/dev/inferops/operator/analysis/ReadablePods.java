package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Which pods the analysis reads, and how it tells them apart across reads. */
final class ReadablePods {

  private ReadablePods() {}

  /**
   * The pods that have an IP and are neither terminating nor finished: a terminating pod drains and
   * its traffic moves elsewhere, a finished pod's IP may already belong to another.
   */
  static List<Pod> of(List<Pod> pods) {
    return pods == null ? List.of() : pods.stream().filter(ReadablePods::readable).toList();
  }

  static boolean readable(Pod pod) {
    if (pod == null || pod.getMetadata() == null || pod.getStatus() == null) {
      return false;
    }
    String ip = pod.getStatus().getPodIP();
    String phase = pod.getStatus().getPhase();
    return ip != null
        && !ip.isBlank()
        && pod.getMetadata().getDeletionTimestamp() == null
        && !"Succeeded".equals(phase)
        && !"Failed".equals(phase);
  }

  /**
   * The pod's UID, so that a pod deleted and created again under the same name is a new pod whose
   * counters started inside the window; its namespace and name when it has no UID (tests).
   */
  static String key(Pod pod) {
    String uid = pod.getMetadata().getUid();
    return uid != null ? uid : pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}
