package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.Phase;

/** The phase, and Ready with what keeps it from being ready when every pod is. */
final class ReadyStatusPart {

  private ReadyStatusPart() {}

  static void addTo(StatusDraft draft) {
    int ready = draft.pods().ready();
    int desired = draft.desired;
    boolean failing = !draft.problems().isEmpty();
    Phase phase;
    if (failing) {
      phase = Phase.Degraded;
    } else if (draft.converged()) {
      phase = Phase.Ready;
    } else if (ready == 0 && desired > 0) {
      phase = Phase.Pending;
    } else {
      phase = Phase.Progressing;
    }
    String message = ready + "/" + desired + " pods ready";
    // With every pod ready, Ready is False for another cause, named rather than "pods not ready".
    String reason = ConditionReason.ReplicasNotReady.name();
    if (phase != Phase.Ready && ready >= desired) {
      reason = failing ? draft.degradedReason() : draft.progress().reason();
      message +=
          failing ? ", but Degraded: " + draft.degradedReason() : "; " + draft.progress().message();
    }
    draft.readiness(
        phase, phase == Phase.Ready ? ConditionReason.AllReplicasReady.name() : reason, message);
  }
}
