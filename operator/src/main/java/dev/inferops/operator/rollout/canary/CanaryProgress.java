package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.api.v1alpha1.CanaryAnalysisResult;
import dev.inferops.operator.api.v1alpha1.CanaryStatus;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.RolloutStatusBuilder;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.Announcement;
import dev.inferops.operator.rollout.RevisionState;
import dev.inferops.operator.rollout.RolloutCommand;
import dev.inferops.operator.rollout.RolloutStep;
import dev.inferops.operator.status.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One canary decision while it is made: the input, the status it changes (a copy of the last one),
 * and what it asks for besides: Events, consumed commands, a wake-up, a smoke test, an analysis.
 */
final class CanaryProgress implements RolloutStep {

  final CanaryInput in;
  final CanarySettings cfg;
  final Instant now;
  final RolloutStatus st;
  private final List<Announcement> announcements = new ArrayList<>();
  private final Set<RolloutCommand> consumed = EnumSet.noneOf(RolloutCommand.class);
  private Instant wakeUp;
  private boolean smokeTestDue;
  private String analysisWindow;

  CanaryProgress(CanaryInput in) {
    this.in = in;
    this.cfg = in.settings();
    this.now = in.now();
    this.st = copy(in.previous());
  }

  @Override
  public RolloutStatus status() {
    return st;
  }

  @Override
  public String desired() {
    return in.desiredRevision();
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public Optional<SmokeTestResult> smokeTestResult() {
    return in.smokeTest();
  }

  @Override
  public void set(RolloutPhase phase, ConditionReason reason, String message) {
    st.setPhase(phase);
    st.setReason(reason.name());
    st.setMessage(message);
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

  @Override
  public void announce(boolean warning, Reason reason, String message) {
    announcements.add(new Announcement(warning, reason, message));
  }

  @Override
  public void wake(Instant at) {
    if (wakeUp == null || at.isBefore(wakeUp)) {
      wakeUp = at;
    }
  }

  @Override
  public void smokeTestDue() {
    smokeTestDue = true;
  }

  /** The pods' metrics are to be read for the window {@code windowId}, and decided again. */
  void analysisDue(String windowId) {
    analysisWindow = windowId;
  }

  void consume(RolloutCommand command) {
    consumed.add(command);
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
      consumed.add(RolloutCommand.PROMOTE);
    }
    st.setActiveImage(image(st.getActiveRevision()));
    st.setPreviewImage(st.getPreviewRevision() == null ? null : image(st.getPreviewRevision()));
    boolean running =
        st.getPreviewRevision() != null && !st.getPreviewRevision().equals(st.getAbortedRevision());
    return new CanaryDecision(
        st,
        replicas,
        running ? st.getPreviewRevision() : null,
        smokeTestDue,
        analysisWindow != null,
        analysisWindow,
        Optional.ofNullable(wakeUp).map(t -> Duration.between(now, t)),
        List.copyOf(announcements),
        Set.copyOf(consumed));
  }

  private String image(String revision) {
    if (revision.equals(in.desiredRevision())) {
      return in.desiredImage();
    }
    return Optional.ofNullable(in.revisions().get(revision)).map(RevisionState::image).orElse(null);
  }

  private static RolloutStatus copy(RolloutStatus s) {
    return s == null ? new RolloutStatus() : new RolloutStatusBuilder(s).build();
  }
}
