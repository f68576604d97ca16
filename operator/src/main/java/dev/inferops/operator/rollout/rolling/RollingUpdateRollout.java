package dev.inferops.operator.rollout.rolling;

import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Announcement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The memory and the automatic rollback of a rolling Deployment, pure: from the last {@code
 * status.rollingUpdate}, what the informers show of the Deployment and the retry command it decides
 * the next status and the pod template the Deployment gets: the spec's or, after a rollback, the
 * last one that was fully available. The status is the only memory, so a restarted operator
 * resumes.
 *
 * <p>A rollback reads the old template from the Deployment's ReplicaSet of that revision once
 * ({@link Decision#lookupDue}); afterwards the Deployment's own template is the rolled-back one.
 */
public final class RollingUpdateRollout {

  /**
   * The Deployment as the informers show it: {@code revision} of its pod template (null when the
   * template carries no template hash), whether its controller saw the latest spec, whether every
   * pod runs that template and is available, and whether it reports ProgressDeadlineExceeded.
   */
  public record Observed(
      String revision,
      String image,
      PodTemplateSpec template,
      boolean caughtUp,
      boolean fullyAvailable,
      boolean deadlineExceeded) {}

  /** The template of a revision read from the Deployment's ReplicaSets; null when none has it. */
  public record Lookup(String revision, PodTemplateSpec template) {}

  /**
   * What the decision is made from; {@code podsProblem} is the worst reason of the Deployment's
   * pods that are not ready (null when none says), {@code lookup} a template just read for a
   * rollback.
   */
  public record Input(
      String specRevision,
      String specImage,
      boolean autoRollback,
      RollingUpdateStatus previous,
      Optional<Observed> deployment,
      String podsProblem,
      boolean retry,
      Optional<Lookup> lookup,
      Instant now) {

    /** The same input with a template read for {@link Decision#lookupDue}. */
    public Input withLookup(Lookup found) {
      return new Input(
          specRevision,
          specImage,
          autoRollback,
          previous,
          deployment,
          podsProblem,
          retry,
          Optional.of(found),
          now);
    }
  }

  /**
   * The outcome: {@code status} is null while nothing is known; {@code template} replaces the
   * spec's pod template in the Deployment; with {@code lookupDue} the template of that revision
   * must be read and the decision made again with it.
   */
  public record Decision(
      RollingUpdateStatus status,
      Optional<PodTemplateSpec> template,
      Optional<String> lookupDue,
      List<Announcement> announcements,
      boolean retryConsumed) {}

  private RollingUpdateRollout() {}

  public static Decision decide(Input in) {
    RollingUpdateStatus st = copy(in.previous());
    List<Announcement> announcements = new ArrayList<>();
    forgetOrRetryFailure(in, st, announcements);
    Optional<Observed> onSpec =
        in.deployment().filter(d -> d.caughtUp() && in.specRevision().equals(d.revision()));
    if (onSpec.filter(Observed::fullyAvailable).isPresent()) {
      st.setAvailableRevision(in.specRevision());
      st.setAvailableImage(onSpec.get().image());
      clearFailure(st);
    }
    Step template;
    if (in.autoRollback()
        && st.getFailedRevision() == null
        && onSpec.filter(Observed::deadlineExceeded).isPresent()) {
      template = rollBack(in, st, announcements);
    } else if (rolledBack(st)) {
      template = stayRolledBack(in, st);
    } else {
      template = Step.template(Optional.empty());
    }
    if (template.lookupDue().isPresent()) {
      return new Decision(
          in.previous(), Optional.empty(), template.lookupDue(), List.of(), in.retry());
    }
    return new Decision(
        empty(st) ? null : st,
        template.template().map(t -> new PodTemplateSpecBuilder(t).build()),
        Optional.empty(),
        List.copyOf(announcements),
        in.retry());
  }

  /** The template the Deployment gets, or the revision whose template must be read first. */
  private record Step(Optional<PodTemplateSpec> template, Optional<String> lookupDue) {
    static Step template(Optional<PodTemplateSpec> template) {
      return new Step(template, Optional.empty());
    }

    static Step lookup(String revision) {
      return new Step(Optional.empty(), Optional.of(revision));
    }
  }

  // A failure is about the spec's template, and is remembered only with autoRollback on; the
  // retry annotation forgets a rolled-back one so the spec's template is tried again.
  private static void forgetOrRetryFailure(
      Input in, RollingUpdateStatus st, List<Announcement> announcements) {
    if (st.getFailedRevision() != null
        && (!in.specRevision().equals(st.getFailedRevision()) || !in.autoRollback())) {
      clearFailure(st);
    }
    if (in.retry() && rolledBack(st)) {
      announcements.add(
          new Announcement(
              false,
              Reason.RolloutRetried,
              "retrying revision " + in.specRevision() + " (" + st.getFailedImage() + ")"));
      clearFailure(st);
    }
  }

  // The spec's revision missed its deadline: remember the failure and, when an earlier revision
  // was fully available, go back to its template.
  private static Step rollBack(Input in, RollingUpdateStatus st, List<Announcement> announcements) {
    st.setFailedRevision(in.specRevision());
    st.setFailedImage(in.specImage());
    st.setFailureMessage(in.podsProblem());
    String target = st.getAvailableRevision();
    if (target == null || target.equals(in.specRevision())) {
      return Step.template(Optional.empty());
    }
    Optional<Lookup> found = in.lookup().filter(l -> target.equals(l.revision()));
    if (found.isEmpty()) {
      return Step.lookup(target);
    }
    if (found.get().template() == null) {
      return Step.template(Optional.empty());
    }
    st.setRolledBackAt(in.now().toString());
    announcements.add(new Announcement(true, Reason.RolledBack, rolledBackMessage(st)));
    return Step.template(Optional.of(found.get().template()));
  }

  // Keep the rolled-back template: after the rollback it is the Deployment's own, else it is read
  // again from the ReplicaSet of that revision; with neither, the rollback is forgotten.
  private static Step stayRolledBack(Input in, RollingUpdateStatus st) {
    String target = st.getAvailableRevision();
    if (target == null) {
      st.setRolledBackAt(null);
      return Step.template(Optional.empty());
    }
    Optional<Observed> back = in.deployment().filter(d -> target.equals(d.revision()));
    if (back.isPresent()) {
      return Step.template(Optional.of(back.get().template()));
    }
    Optional<Lookup> found = in.lookup().filter(l -> target.equals(l.revision()));
    if (found.isEmpty()) {
      return Step.lookup(target);
    }
    if (found.get().template() == null) {
      st.setRolledBackAt(null);
      return Step.template(Optional.empty());
    }
    return Step.template(Optional.of(found.get().template()));
  }

  /** Whether the status records a rollback of the spec's failed revision. */
  public static boolean rolledBack(RollingUpdateStatus st) {
    return st != null && st.getFailedRevision() != null && st.getRolledBackAt() != null;
  }

  /** The one line of the RolledBack condition and Event. */
  public static String rolledBackMessage(RollingUpdateStatus st) {
    return "revision "
        + st.getFailedRevision()
        + " ("
        + st.getFailedImage()
        + ") exceeded its progress deadline"
        + Optional.ofNullable(st.getFailureMessage()).map(m -> ": " + m).orElse("")
        + "; rolled back to revision "
        + st.getAvailableRevision()
        + " ("
        + st.getAvailableImage()
        + "); a spec change or the annotation "
        + ResourceNaming.ANNOTATION_RETRY
        + " tries again";
  }

  /** Why a failed revision was not rolled back; empty when it was, or nothing failed. */
  public static Optional<String> notRolledBackMessage(RollingUpdateStatus st) {
    if (st == null || st.getFailedRevision() == null || st.getRolledBackAt() != null) {
      return Optional.empty();
    }
    String target = st.getAvailableRevision();
    if (target == null) {
      return Optional.of("not rolled back: no earlier revision was fully available");
    }
    if (target.equals(st.getFailedRevision())) {
      return Optional.of("not rolled back: it is the last revision that was fully available");
    }
    return Optional.of(
        "not rolled back to revision "
            + target
            + " ("
            + st.getAvailableImage()
            + "): the Deployment has no ReplicaSet of it left");
  }

  private static void clearFailure(RollingUpdateStatus st) {
    st.setFailedRevision(null);
    st.setFailedImage(null);
    st.setFailureMessage(null);
    st.setRolledBackAt(null);
  }

  private static boolean empty(RollingUpdateStatus st) {
    return st.equals(new RollingUpdateStatus());
  }

  private static RollingUpdateStatus copy(RollingUpdateStatus previous) {
    RollingUpdateStatus st = new RollingUpdateStatus();
    if (previous != null) {
      st.setAvailableRevision(previous.getAvailableRevision());
      st.setAvailableImage(previous.getAvailableImage());
      st.setFailedRevision(previous.getFailedRevision());
      st.setFailedImage(previous.getFailedImage());
      st.setFailureMessage(previous.getFailureMessage());
      st.setRolledBackAt(previous.getRolledBackAt());
    }
    return st;
  }
}
