package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.analysis.MessageNumbers;
import dev.inferops.operator.analysis.ShadowReading;
import dev.inferops.operator.analysis.ShadowTally;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.ShadowSpec;
import dev.inferops.operator.api.v1alpha1.ShadowStatus;
import dev.inferops.operator.api.v1alpha1.ShadowStatusBuilder;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.status.ConditionReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Blue-green's shadow phase, between the smoke test and the promotion gate: the live pods copy a
 * sample of their prediction requests to the verified preview and compare the answers; their
 * counters are read every {@link #READ_EVERY}. With {@code minAgreement} the preview waits for
 * {@code minComparisons} compared answers (until the progress deadline, counted from its
 * verification) and is aborted when fewer than that share agreed; without, the figure is reported
 * and promotion is left to the other checks.
 */
final class ShadowGate {

  static final Duration READ_EVERY = Duration.ofSeconds(10);

  private ShadowGate() {}

  /** Whether the preview may go on to the promotion gate; else it waits or was aborted. */
  static boolean passed(BlueGreenStep step) {
    Optional<ShadowSpec> spec = step.cfg.shadow();
    if (spec.isEmpty()) {
      return true;
    }
    ShadowStatus shadow = current(step.st, step.desired());
    step.st.setShadow(shadow);
    Optional<ShadowReading> reading = step.in.shadow();
    if (reading.isEmpty()) {
      if (shadow.getMessage() != null && shadow.getMessage().startsWith(WAIVED)) {
        return true;
      }
      Instant nextRead =
          shadow.getReadAt() == null
              ? step.now
              : Instant.parse(shadow.getReadAt()).plus(READ_EVERY);
      if (!step.now.isBefore(nextRead)) {
        step.shadowFrom(step.st.getActiveRevision());
        step.shadowReadingDue();
        return false;
      }
      return judge(step, shadow, spec.get(), nextRead, false);
    }
    if (reading.get().kind() == ShadowReading.Kind.IMPOSSIBLE) {
      return waived(step, shadow, reading.get().message());
    }
    long before = value(shadow.getCompared());
    record(shadow, reading.get(), spec.get(), step.now);
    boolean reached =
        before < spec.get().getMinComparisons()
            && value(shadow.getCompared()) >= spec.get().getMinComparisons();
    return judge(step, shadow, spec.get(), step.now.plus(READ_EVERY), reached);
  }

  /** Starts the message of a shadow that did not run for this preview. */
  private static final String WAIVED = "not run: ";

  /**
   * The live pods cannot copy (they predate the shadow block): the shadow is skipped with a warning
   * rather than holding the rollout forever, and runs from the next rollout on.
   */
  private static boolean waived(BlueGreenStep step, ShadowStatus shadow, String why) {
    String message = WAIVED + why;
    step.announce(true, Reason.ShadowUnavailable, "revision " + step.desired() + ": " + message);
    shadow.setMessage(message);
    shadow.setReadAt(step.now.toString());
    return true;
  }

  /**
   * Decides from the figures so far; {@code reached}: this reading brought the comparisons to the
   * number needed, which is announced once.
   */
  private static boolean judge(
      BlueGreenStep step, ShadowStatus shadow, ShadowSpec spec, Instant nextRead, boolean reached) {
    long compared = value(shadow.getCompared());
    Double required = spec.getMinAgreement();
    if (required == null) {
      step.shadowFrom(step.st.getActiveRevision());
      step.wake(nextRead);
      return true;
    }
    if (compared < spec.getMinComparisons()) {
      Instant deadline =
          Instant.parse(step.st.getVerifiedAt()).plusSeconds(step.cfg.progressDeadlineSeconds());
      if (!step.now.isBefore(deadline)) {
        step.abort(
            step.desired(),
            ConditionReason.ProgressDeadlineExceeded,
            "shadow: only "
                + MessageNumbers.count(compared)
                + " of "
                + MessageNumbers.count(spec.getMinComparisons())
                + " answers compared "
                + step.cfg.progressDeadlineSeconds()
                + "s after the preview was verified; "
                + shadow.getMessage());
        return false;
      }
      step.shadowFrom(step.st.getActiveRevision());
      step.wake(nextRead.isBefore(deadline) ? nextRead : deadline);
      step.set(
          RolloutPhase.Progressing,
          ConditionReason.ComparingShadow,
          "shadow: " + shadow.getMessage());
      return false;
    }
    String agreement = MessageNumbers.limit(required * 100) + " %";
    if (value(shadow.getAgreed()) < required * compared) {
      step.abort(
          step.desired(),
          ConditionReason.ShadowDisagreed,
          "shadow " + figure(shadow) + ", below the " + agreement + " required");
      return false;
    }
    if (reached) {
      step.announce(
          false,
          Reason.ShadowAgreed,
          "revision "
              + step.desired()
              + ": shadow "
              + figure(shadow)
              + ", "
              + agreement
              + " required");
    }
    step.shadowFrom(step.st.getActiveRevision());
    step.wake(nextRead);
    return true;
  }

  /**
   * A reading into the record: a counted one's figures, an unread one's cause next to the last
   * figures; the message says what they are held against.
   */
  private static void record(
      ShadowStatus shadow, ShadowReading reading, ShadowSpec spec, Instant now) {
    shadow.setReadAt(now.toString());
    if (reading.kind() == ShadowReading.Kind.COUNTED) {
      ShadowTally t = reading.tally();
      shadow.setCopied(t.copied());
      shadow.setCompared(t.compared());
      shadow.setAgreed(t.agreed());
      shadow.setDropped(t.dropped());
      shadow.setFailed(t.failed());
    }
    String requirement =
        spec.getMinAgreement() == null
            ? "report only"
            : MessageNumbers.limit(spec.getMinAgreement() * 100)
                + " % required over "
                + MessageNumbers.count(spec.getMinComparisons());
    shadow.setMessage(
        figure(shadow)
            + " ("
            + requirement
            + ")"
            + losses(shadow)
            + (reading.kind() == ShadowReading.Kind.UNREAD ? "; " + reading.message() : ""));
  }

  /** {@code agreement 99.4 % over 1,208 requests}, or that none was compared yet. */
  static String figure(ShadowStatus shadow) {
    long compared = value(shadow.getCompared());
    if (compared == 0) {
      return "no answers compared yet";
    }
    return "agreement "
        + MessageNumbers.share(value(shadow.getAgreed()), compared)
        + " % over "
        + MessageNumbers.count(compared)
        + " request"
        + (compared == 1 ? "" : "s");
  }

  /** Copies that were not compared, when there are any: they may explain a slow count. */
  private static String losses(ShadowStatus shadow) {
    long dropped = value(shadow.getDropped());
    long failed = value(shadow.getFailed());
    if (dropped == 0 && failed == 0) {
      return "";
    }
    return "; "
        + MessageNumbers.count(dropped)
        + " copies dropped (queue full), "
        + MessageNumbers.count(failed)
        + " unanswered by the preview";
  }

  /**
   * The status's shadow record while it belongs to this preview and live revision and to this
   * verification of it; else a new one, and the counters start again.
   */
  private static ShadowStatus current(RolloutStatus st, String preview) {
    ShadowStatus last = st.getShadow();
    if (last != null
        && preview.equals(last.getRevision())
        && Objects.equals(st.getActiveRevision(), last.getLiveRevision())
        && last.getReadAt() != null
        && !Instant.parse(last.getReadAt()).isBefore(Instant.parse(st.getVerifiedAt()))) {
      return new ShadowStatusBuilder(last).build();
    }
    ShadowStatus fresh = new ShadowStatus();
    fresh.setRevision(preview);
    fresh.setLiveRevision(st.getActiveRevision());
    return fresh;
  }

  private static long value(Long n) {
    return n == null ? 0 : n;
  }
}
