package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.api.v1alpha1.CanaryAnalysisResult;
import dev.inferops.operator.api.v1alpha1.CanaryStatus;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.RolloutStatusBuilder;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.RevisionRolloutStep;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One canary decision while it is made: the input, the status it changes (a copy of the last one),
 * and what it asks for besides: Events, consumed commands, a wake-up, a smoke test, an analysis.
 */
final class CanaryProgress extends RevisionRolloutStep {

  final CanaryInput in;
  final CanarySettings cfg;
  final Instant now;
  final RolloutStatus st;
  private String analysisWindow;

  CanaryProgress(CanaryInput in) {
    super(
        copy(in.previous()),
        in.now(),
        in.desiredRevision(),
        in.desiredImage(),
        in.revisions(),
        in.smokeTest());
    this.in = in;
    this.cfg = in.settings();
    this.now = in.now();
    this.st = status();
  }

  @Override
  public void abort(String revision, ConditionReason reason, String message) {
    st.setAbortedRevision(revision);
    set(
        RolloutPhase.Degraded,
        reason,
        "canary revision "
            + revision
            + " aborted, stable revision "
            + st.getActiveRevision()
            + " back to all replicas: "
            + message);
    announce(true, Reason.RolloutAborted, st.getMessage());
  }

  /** The pods' metrics are to be read for the window {@code windowId}, and decided again. */
  void analysisDue(String windowId) {
    analysisWindow = windowId;
  }

  CanaryStatus canary() {
    return st.getCanary();
  }

  /** The canary's pods that are ready and listed by the Service. */
  int canaryListed() {
    return Math.min(ready(in.revisions().get(desired())), in.listed(desired()));
  }

  int stableListed() {
    String stable = st.getActiveRevision();
    return Math.min(ready(in.revisions().get(stable)), in.listed(stable));
  }

  static int ready(RevisionState r) {
    return r == null ? 0 : r.readyPods();
  }

  /** The revision's worst pod problem as the end of a message; "" for none. */
  String problem(String revision) {
    RevisionState r = in.revisions().get(revision);
    return r == null || r.problem() == null ? "" : "; " + r.problem();
  }

  /** The last analysis of step {@code step}, if any. */
  Optional<CanaryAnalysisResult> lastAnalysis(int step) {
    return canary().getAnalyses().stream().filter(a -> a.getStep() == step).findFirst();
  }

  void recordAnalysis(CanaryAnalysisResult result) {
    List<CanaryAnalysisResult> analyses = new ArrayList<>(canary().getAnalyses());
    analyses.removeIf(a -> a.getStep().equals(result.getStep()));
    analyses.add(result);
    canary().setAnalyses(analyses);
  }

  CanaryDecision decision(Map<String, Integer> replicas) {
    if (in.commands().contains(RolloutCommand.PROMOTE)) {
      // Acted on or not: a promote with nothing to promote is spent, not kept for a later rollout.
      consume(RolloutCommand.PROMOTE);
    }
    recordImages();
    boolean running =
        st.getPreviewRevision() != null && !st.getPreviewRevision().equals(st.getAbortedRevision());
    return new CanaryDecision(
        st,
        replicas,
        running ? st.getPreviewRevision() : null,
        smokeTestAsked(),
        analysisWindow != null,
        analysisWindow,
        requeueAfter(),
        announced(),
        consumedCommands());
  }

  private static RolloutStatus copy(RolloutStatus s) {
    return s == null ? new RolloutStatus() : new RolloutStatusBuilder(s).build();
  }
}
