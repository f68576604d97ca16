package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.events.EventRecorder.Reason;
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
 * What every decision of a strategy with revision Deployments (blue-green, canary) keeps while it
 * is made: the status it changes, and what it asks for besides the status: Events, consumed
 * commands, a wake-up, a smoke test. The strategies add their own input and their way to abort.
 */
public abstract class RevisionRolloutStep implements RolloutStep {

  private final RolloutStatus status;
  private final Instant now;
  private final String desiredRevision;
  private final String desiredImage;
  private final Map<String, RevisionState> revisions;
  private final Optional<SmokeTestResult> smokeTest;
  private final List<Announcement> announcements = new ArrayList<>();
  private final Set<RolloutCommand> consumed = EnumSet.noneOf(RolloutCommand.class);
  private Instant wakeUp;
  private boolean smokeTestDue;

  /** A decision that changes {@code status}, a copy of the last one. */
  protected RevisionRolloutStep(
      RolloutStatus status,
      Instant now,
      String desiredRevision,
      String desiredImage,
      Map<String, RevisionState> revisions,
      Optional<SmokeTestResult> smokeTest) {
    this.status = status;
    this.now = now;
    this.desiredRevision = desiredRevision;
    this.desiredImage = desiredImage;
    this.revisions = revisions;
    this.smokeTest = smokeTest;
  }

  @Override
  public final RolloutStatus status() {
    return status;
  }

  @Override
  public final String desired() {
    return desiredRevision;
  }

  @Override
  public final Instant now() {
    return now;
  }

  @Override
  public final Optional<SmokeTestResult> smokeTestResult() {
    return smokeTest;
  }

  @Override
  public final void set(RolloutPhase phase, ConditionReason reason, String message) {
    status.setPhase(phase);
    status.setReason(reason.name());
    status.setMessage(message);
  }

  @Override
  public final void announce(boolean warning, Reason reason, String message) {
    announcements.add(new Announcement(warning, reason, message));
  }

  @Override
  public final void wake(Instant at) {
    if (wakeUp == null || at.isBefore(wakeUp)) {
      wakeUp = at;
    }
  }

  @Override
  public final void smokeTestDue() {
    smokeTestDue = true;
  }

  /** The command was acted on, or has nothing to act on: its annotation is removed. */
  public final void consume(RolloutCommand command) {
    consumed.add(command);
  }

  protected final boolean smokeTestAsked() {
    return smokeTestDue;
  }

  protected final Optional<Duration> requeueAfter() {
    return Optional.ofNullable(wakeUp).map(t -> Duration.between(now, t));
  }

  protected final List<Announcement> announced() {
    return List.copyOf(announcements);
  }

  protected final Set<RolloutCommand> consumedCommands() {
    return Set.copyOf(consumed);
  }

  /** Writes the images of the active and the preview revision into the status. */
  protected final void recordImages() {
    status.setActiveImage(image(status.getActiveRevision()));
    status.setPreviewImage(
        status.getPreviewRevision() == null ? null : image(status.getPreviewRevision()));
  }

  private String image(String revision) {
    if (revision.equals(desiredRevision)) {
      return desiredImage;
    }
    return Optional.ofNullable(revisions.get(revision)).map(RevisionState::image).orElse(null);
  }
}
