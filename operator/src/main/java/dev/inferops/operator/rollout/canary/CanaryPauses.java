package dev.inferops.operator.rollout.canary;

import dev.inferops.operator.analysis.Verdict;
import dev.inferops.operator.analysis.VerdictKind;
import dev.inferops.operator.api.v1alpha1.CanaryAnalysisResult;
import dev.inferops.operator.api.v1alpha1.CanaryPause;
import dev.inferops.operator.api.v1alpha1.CanaryStatus;
import dev.inferops.operator.api.v1alpha1.InconclusivePolicy;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.status.ConditionReason;
import java.time.Instant;
import java.util.Optional;

/**
 * A canary's pauses: each is analysed every interval from the pods' metrics; a failed analysis
 * aborts at once, and the end of a pause needs a passed one (or an inconclusive one with
 * inconclusive: Pass). The user's promote skips a pause.
 */
final class CanaryPauses {

  private CanaryPauses() {}

  /** A pause: over when its time is up and the analysis allows, or when the user promotes. */
  static boolean over(CanaryProgress p, int index, CanaryPause pause, int target, boolean promote) {
    CanaryStatus canary = p.canary();
    String where =
        "step "
            + (index + 1)
            + " of "
            + p.cfg.steps().size()
            + ", weight "
            + canary.getWeight()
            + " %";
    if (promote) {
      p.announce(false, Reason.CanaryAdvanced, where + ": pause skipped by inferops.dev/promote");
      return true;
    }
    Instant start = Instant.parse(canary.getStepStartedAt());
    Optional<Instant> end =
        Optional.ofNullable(pause == null ? null : pause.getSeconds()).map(start::plusSeconds);
    boolean ended = end.map(e -> !p.now.isBefore(e)).orElse(false);
    boolean analysing = p.cfg.analysisEnabled() && target > 0;
    if (analysing) {
      String window = p.desired() + "/" + index + "/" + canary.getStepStartedAt();
      Optional<CanaryAnalysisResult> last = p.lastAnalysis(index);
      if (p.in.verdict().isPresent()) {
        Verdict verdict = p.in.verdict().get();
        CanaryAnalysisResult result = result(index, verdict, p.now);
        p.recordAnalysis(result);
        last = Optional.of(result);
        if (verdict.kind() == VerdictKind.FAILED) {
          p.abort(
              p.desired(), ConditionReason.CanaryAnalysisFailed, where + ": " + verdict.message());
          return false;
        }
      } else if (analysisDue(p, last, end)) {
        p.analysisDue(window);
        p.set(
            RolloutPhase.Progressing,
            ConditionReason.CanaryPaused,
            where + ": reading the pods' metrics");
        return false;
      }
      p.wake(nextReading(p, last, end));
      String lastText = last.map(a -> "; last analysis: " + a.getMessage()).orElse("");
      if (ended) {
        String verdict = last.map(CanaryAnalysisResult::getVerdict).orElse("");
        if (VERDICT_PASSED.equals(verdict)) {
          return passed(p, where + ": analysis passed: " + last.get().getMessage());
        }
        if (p.cfg.inconclusive() == InconclusivePolicy.Pass) {
          return passed(
              p,
              where
                  + ": pause over, analysis inconclusive, passed as analysis.inconclusive is Pass"
                  + lastText);
        }
        p.set(
            RolloutPhase.Progressing,
            ConditionReason.WaitingForCanaryTraffic,
            where
                + ": pause over, waiting for enough traffic to judge (analysis.inconclusive: Wait)"
                + lastText);
        return false;
      }
      pausing(p, where, end, lastText);
      return false;
    }
    if (ended) {
      return passed(p, where + ": pause over" + (p.cfg.analysisEnabled() ? "" : " (analysis off)"));
    }
    end.ifPresent(p::wake);
    pausing(p, where, end, p.cfg.analysisEnabled() ? "" : "; analysis off");
    return false;
  }

  private static final String VERDICT_PASSED = "Passed";

  private static boolean passed(CanaryProgress p, String message) {
    p.announce(false, Reason.CanaryAdvanced, message);
    return true;
  }

  private static void pausing(CanaryProgress p, String where, Optional<Instant> end, String note) {
    if (end.isPresent()) {
      p.set(
          RolloutPhase.Progressing,
          ConditionReason.CanaryPaused,
          where + ": paused until " + end.get() + note);
    } else {
      p.set(
          RolloutPhase.Paused,
          ConditionReason.AwaitingPromotion,
          where
              + ": paused until `kubectl annotate infsvc <name> inferops.dev/promote=true`"
              + note);
    }
  }

  /** A reading is due every interval, and once more when the pause ends. */
  private static boolean analysisDue(
      CanaryProgress p, Optional<CanaryAnalysisResult> last, Optional<Instant> end) {
    if (last.isEmpty()) {
      return true;
    }
    Instant at = Instant.parse(last.get().getTime());
    boolean endedSince = end.map(e -> !p.now.isBefore(e) && at.isBefore(e)).orElse(false);
    return endedSince || !p.now.isBefore(at.plusSeconds(p.cfg.analysisIntervalSeconds()));
  }

  private static Instant nextReading(
      CanaryProgress p, Optional<CanaryAnalysisResult> last, Optional<Instant> end) {
    Instant next =
        last.map(a -> Instant.parse(a.getTime()))
            .orElse(p.now)
            .plusSeconds(p.cfg.analysisIntervalSeconds());
    return end.filter(e -> e.isAfter(p.now) && e.isBefore(next)).orElse(next);
  }

  private static CanaryAnalysisResult result(int index, Verdict verdict, Instant now) {
    CanaryAnalysisResult result = new CanaryAnalysisResult();
    result.setStep(index);
    result.setVerdict(
        switch (verdict.kind()) {
          case PASSED -> VERDICT_PASSED;
          case FAILED -> "Failed";
          case INCONCLUSIVE -> "Inconclusive";
        });
    result.setMessage(verdict.message());
    result.setTime(now.toString());
    return result;
  }
}
