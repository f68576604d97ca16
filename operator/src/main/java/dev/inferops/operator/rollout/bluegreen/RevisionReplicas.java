package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.rollout.RevisionState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Blue-green, the replicas of every revision Deployment a decision keeps: the active one, the
 * preview, a rollback's target, the replaced one during its scale-down delay, and the newest others
 * at zero up to revisionHistoryLimit. Every other revision Deployment is deleted.
 */
final class RevisionReplicas {

  private RevisionReplicas() {}

  static Map<String, Integer> of(BlueGreenStep step) {
    RolloutStatus st = step.st;
    BlueGreenInput in = step.in;
    Map<String, Integer> replicas = new LinkedHashMap<>();
    String active = st.getActiveRevision();
    String preview = st.getPreviewRevision();
    boolean rollingOut =
        (preview != null && !preview.equals(st.getAbortedRevision()))
            || st.getRollbackRevision() != null;
    int activeReplicas = in.replicas();
    RevisionState current = in.revisions().get(active);
    if (rollingOut && current != null) {
      // A scale-down during a rollout waits for its end: the active version keeps serving.
      activeReplicas = Math.max(activeReplicas, current.specReplicas());
    }
    replicas.put(active, activeReplicas);
    if (preview != null && !preview.equals(active)) {
      int count =
          preview.equals(st.getAbortedRevision())
              ? 0
              : st.getPromotionStartedAt() != null ? in.replicas() : step.previewReplicas();
      replicas.put(preview, count);
    }
    if (st.getRollbackRevision() != null) {
      replicas.put(st.getRollbackRevision(), in.replicas());
    }
    String previous = st.getPreviousRevision();
    // An aborted or rolled-back revision goes at once; only a replaced good one is kept warm.
    boolean kept =
        step.scaleDownAt().map(step.now::isBefore).orElse(false)
            && !Objects.equals(previous, st.getAbortedRevision());
    if (previous != null && kept) {
      replicas.putIfAbsent(previous, in.replicas());
    }
    replicas.putIfAbsent(step.desired(), 0);
    List<String> history = new ArrayList<>();
    if (previous != null && !replicas.containsKey(previous)) {
      history.add(previous);
    }
    in.revisions().values().stream()
        .sorted(
            Comparator.comparing(
                    RevisionState::created, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(RevisionState::revision))
        .map(RevisionState::revision)
        .filter(r -> !replicas.containsKey(r) && !history.contains(r))
        .forEach(history::add);
    int keep = Math.max(0, step.cfg.revisionHistoryLimit() - (kept ? 1 : 0));
    history.stream().limit(keep).forEach(r -> replicas.put(r, 0));
    return replicas;
  }
}
