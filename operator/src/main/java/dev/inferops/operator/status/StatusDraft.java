package dev.inferops.operator.status;

import dev.inferops.operator.api.v1alpha1.ImageStatus;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ModelSource;
import dev.inferops.operator.workload.ObservedState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The status of one InferenceService while its parts add to it, as in Keycloak's status aggregator:
 * each part adds its fields and its condition, and {@link #build} returns the whole.
 */
public final class StatusDraft {

  /** Reason and message of the Progressing condition. */
  record Progress(String reason, String message) {
    Progress(ConditionReason reason, String message) {
      this(reason.name(), message);
    }
  }

  /** The pods of this InferenceService and, among them, those of the workload the status counts. */
  record Pods(List<Pod> live, List<Pod> current, int ready, int updated, int available) {
    int replicas() {
      return current.size();
    }
  }

  final InferenceService is;
  final WorkloadKind kind;
  final String templateHash;
  final ObservedState observed;
  final int desired;
  private final Instant now;
  private final InferenceServiceStatus status = new InferenceServiceStatus();
  private final Map<String, Condition> conditions = new HashMap<>();
  private final List<Consumer<InferenceServiceStatus>> rolloutFields = new ArrayList<>();

  // What the rollout says; it speaks first, as it decides what the workload's parts count.
  private String followedRevision;
  private Progress rolloutProgress;
  private boolean rolloutSettled = true;
  private boolean rolloutHalted;
  private boolean degradedByRollout;
  private String rolloutProblem;
  private String degradedReason = ConditionReason.Failing.name();
  private String deadlineNote;

  // What the workload's parts found, for the parts after them.
  private Pods pods;
  private Progress progress;
  private boolean converged;
  private List<String> problems = List.of();

  StatusDraft(InferenceService is, Intent intent, ObservedState observed, Instant now) {
    this.is = is;
    this.kind = intent.kind();
    this.templateHash = intent.templateHash();
    this.observed = observed;
    this.desired = EffectiveSpec.replicas(is);
    this.now = now;
    status.setObservedGeneration(is.getMetadata().getGeneration());
    status.setUrl(EffectiveSpec.serviceEnabled(is) ? ResourceNaming.serviceUrl(is) : null);
    status.setModel(
        ModelSource.of(is).map(model -> model.status(observed.modelConfigMap())).orElse(null));
  }

  /** The status counts the Deployment and pods of this revision, not the workload's own. */
  public void follow(String revision) {
    followedRevision = revision;
  }

  /** The rollout failed: its reason is Degraded's, and its message the first problem. */
  public void degradedBy(String reason, String message) {
    degradedByRollout = true;
    degradedReason = reason;
    rolloutProblem = message;
  }

  /** The rollout is not done: its reason is Progressing's, and the InferenceService not Ready. */
  public void rolloutUnderWay(String reason, String message) {
    rolloutProgress = new Progress(reason, message);
    rolloutSettled = false;
  }

  /** Nothing moves towards the spec until it changes: Progressing is False for this reason. */
  public void rolloutHalted(String reason, String message) {
    rolloutProgress = new Progress(reason, message);
    rolloutHalted = true;
  }

  /** Said after the problems when the Deployment exceeded its progress deadline. */
  public void deadlineNote(String note) {
    deadlineNote = note;
  }

  /** Sets the rollout's own fields of the status. */
  public void apply(Consumer<InferenceServiceStatus> fields) {
    rolloutFields.add(fields);
  }

  Optional<String> followedRevision() {
    return Optional.ofNullable(followedRevision);
  }

  /** The Deployment the status counts: the followed revision's, else the rolling one. */
  Optional<Deployment> followedDeployment() {
    return followedRevision == null ? observed.deployment() : observed.revision(followedRevision);
  }

  Optional<Progress> rolloutProgress() {
    return Optional.ofNullable(rolloutProgress);
  }

  boolean rolloutSettled() {
    return rolloutSettled;
  }

  boolean degradedByRollout() {
    return degradedByRollout;
  }

  String rolloutProblem() {
    return rolloutProblem;
  }

  String degradedReason() {
    return degradedReason;
  }

  Optional<String> deadlineNote() {
    return Optional.ofNullable(deadlineNote);
  }

  /** The counts, images and selector of the workload the status follows. */
  void pods(Pods pods, List<ImageStatus> images, String selector) {
    this.pods = pods;
    status.setReplicas(pods.replicas());
    status.setReadyReplicas(pods.ready());
    status.setUpdatedReplicas(pods.updated());
    status.setAvailableReplicas(pods.available());
    status.setImages(images);
    status.setSelector(selector);
  }

  Pods pods() {
    return pods;
  }

  /** Where the workload stands, and whether it has converged on the spec: Progressing. */
  void progress(Progress progress, boolean converged) {
    this.progress = progress;
    this.converged = converged;
    condition(
        Conditions.PROGRESSING,
        !converged && !rolloutHalted,
        progress.reason(),
        progress.message());
  }

  Progress progress() {
    return progress;
  }

  boolean converged() {
    return converged;
  }

  /** Failures that waiting will not fix, the reason for them, and their summary: Degraded. */
  void problems(List<String> problems, String reason, String summary) {
    this.problems = problems;
    this.degradedReason = reason;
    condition(
        Conditions.DEGRADED,
        !problems.isEmpty(),
        problems.isEmpty() ? ConditionReason.AsExpected.name() : reason,
        summary);
  }

  List<String> problems() {
    return problems;
  }

  /** The phase and whether the InferenceService serves as specified: Ready. */
  void readiness(Phase phase, String reason, String message) {
    status.setPhase(phase);
    condition(Conditions.READY, phase == Phase.Ready, reason, message);
  }

  private void condition(String type, boolean value, String reason, String message) {
    List<Condition> previous = is.getStatus() == null ? List.of() : is.getStatus().getConditions();
    conditions.put(
        type,
        Conditions.condition(
            previous, type, value, reason, message, is.getMetadata().getGeneration(), now));
  }

  /** The status, its conditions in their fixed order. */
  InferenceServiceStatus build() {
    status.setConditions(
        new ArrayList<>(
            List.of(
                conditions.get(Conditions.READY),
                conditions.get(Conditions.PROGRESSING),
                conditions.get(Conditions.DEGRADED))));
    rolloutFields.forEach(fields -> fields.accept(status));
    return status;
  }
}
