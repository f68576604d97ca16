package dev.inferops.operator.reconciler;

import dev.inferops.operator.analysis.PodMetricsSource;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.dependent.BlueGreenDeploymentsDependentResource;
import dev.inferops.operator.dependent.ConfigMapDependentResource;
import dev.inferops.operator.dependent.ControllerRevisionsDependentResource;
import dev.inferops.operator.dependent.DeploymentDependentResource;
import dev.inferops.operator.dependent.PodDisruptionBudgetDependentResource;
import dev.inferops.operator.dependent.PodsDependentResource;
import dev.inferops.operator.dependent.PreviewServiceDependentResource;
import dev.inferops.operator.dependent.ReplicaSetDependentResource;
import dev.inferops.operator.dependent.ServiceDependentResource;
import dev.inferops.operator.dependent.ShadowConfigMapDependentResource;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.rollout.Rollout;
import dev.inferops.operator.rollout.RolloutStrategy;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.status.ConditionReason;
import dev.inferops.operator.status.Conditions;
import dev.inferops.operator.status.StatusAggregator;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.ObservedState;
import dev.inferops.operator.workload.WorkloadSwitch;
import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an InferenceService: the workflow applies the owned objects, this class only derives
 * the status from what the informers show and writes it when it changed.
 */
// Not generation-aware: the blue-green commands are annotations, which leave the generation as it
// is. The workflow is invoked by reconcile, after the plan it acts on.
@ControllerConfiguration(
    name = InferenceServiceReconciler.NAME,
    generationAwareEventProcessing = false)
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = ConfigMapDependentResource.NAME, type = ConfigMapDependentResource.class),
      @Dependent(
          name = ServiceDependentResource.NAME,
          type = ServiceDependentResource.class,
          reconcilePrecondition = ServiceDependentResource.EnabledCondition.class),
      @Dependent(
          name = DeploymentDependentResource.NAME,
          type = DeploymentDependentResource.class,
          dependsOn = ConfigMapDependentResource.NAME,
          reconcilePrecondition = DeploymentDependentResource.KeepDeployment.class),
      @Dependent(
          name = ReplicaSetDependentResource.NAME,
          type = ReplicaSetDependentResource.class,
          dependsOn = ConfigMapDependentResource.NAME,
          reconcilePrecondition = ReplicaSetDependentResource.KeepReplicaSet.class),
      @Dependent(
          name = PodsDependentResource.NAME,
          type = PodsDependentResource.class,
          dependsOn = ConfigMapDependentResource.NAME,
          reconcilePrecondition = PodsDependentResource.KeepPods.class),
      @Dependent(
          name = BlueGreenDeploymentsDependentResource.NAME,
          type = BlueGreenDeploymentsDependentResource.class,
          dependsOn = ConfigMapDependentResource.NAME,
          reconcilePrecondition = BlueGreenDeploymentsDependentResource.KeepRevisions.class),
      @Dependent(
          name = ControllerRevisionsDependentResource.NAME,
          type = ControllerRevisionsDependentResource.class,
          dependsOn = ConfigMapDependentResource.NAME,
          reconcilePrecondition = BlueGreenDeploymentsDependentResource.KeepRevisions.class),
      @Dependent(
          name = PreviewServiceDependentResource.NAME,
          type = PreviewServiceDependentResource.class,
          reconcilePrecondition = PreviewServiceDependentResource.PreviewCondition.class),
      @Dependent(
          name = ShadowConfigMapDependentResource.NAME,
          type = ShadowConfigMapDependentResource.class,
          reconcilePrecondition = ShadowConfigMapDependentResource.ShadowConfigured.class),
      @Dependent(
          name = PodDisruptionBudgetDependentResource.NAME,
          type = PodDisruptionBudgetDependentResource.class,
          reconcilePrecondition = PodDisruptionBudgetDependentResource.WantedCondition.class)
    })
public class InferenceServiceReconciler implements Reconciler<InferenceService> {

  public static final String NAME = "inferenceservice";

  private static final Logger log = LoggerFactory.getLogger(InferenceServiceReconciler.class);

  private final Clock clock;
  private final StatusWriter statusWriter;
  private final EventRecorder events;
  private final Strategies strategies;

  /**
   * The reconciler of a running operator, recording phase changes through {@code events}; new
   * versions are smoke-tested by {@code smokeTester}; canaries are judged and shadows counted from
   * the pods' {@code /metrics}, read through {@code metrics}.
   */
  public InferenceServiceReconciler(
      EventRecorder events, SmokeTester smokeTester, PodMetricsSource metrics) {
    this(
        Clock.systemUTC(),
        PrimaryUpdateAndCacheUtils::ssaPatchStatusAndCacheResource,
        events,
        new Strategies(smokeTester, metrics));
  }

  /** For unit tests: no smoke test or metrics reading gets an answer. */
  InferenceServiceReconciler(Clock clock, StatusWriter statusWriter, EventRecorder events) {
    this(
        clock,
        statusWriter,
        events,
        new Strategies(
            new SmokeTester(
                (uri, body, timeout) -> {
                  throw new java.io.IOException("no smoke client in this test");
                }),
            (pod, port) -> {
              throw new java.io.IOException("no metrics source in this test");
            }));
  }

  private InferenceServiceReconciler(
      Clock clock, StatusWriter statusWriter, EventRecorder events, Strategies strategies) {
    this.clock = clock;
    this.statusWriter = statusWriter;
    this.events = events;
    this.strategies = strategies;
  }

  /**
   * The model ConfigMaps and what the rollout strategies read, besides the informers the workflow's
   * dependents bring along.
   */
  @Override
  public List<EventSource<?, InferenceService>> prepareEventSources(
      EventSourceContext<InferenceService> context) {
    List<EventSource<?, InferenceService>> sources = new ArrayList<>();
    sources.add(ModelConfigMap.eventSource(context));
    sources.addAll(strategies.eventSources(context));
    return sources;
  }

  @Override
  public UpdateControl<InferenceService> reconcile(
      InferenceService resource, Context<InferenceService> context) {
    Instant now = clock.instant();
    Plan plan = plan(resource, context, now);
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    Commands.act(resource, plan.rollout(), context, events);
    events.flush(resource);
    if (reportedFailure(resource).isPresent()) {
      log.info(
          "Reconcile of {}/{} succeeded again",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName());
    }
    writeStatus(
        resource,
        StatusAggregator.aggregate(
            resource,
            plan.intent(),
            ObservedState.from(resource, context),
            plan.rollout().statusPart(),
            now),
        context);
    UpdateControl<InferenceService> control = UpdateControl.noUpdate();
    plan.rollout()
        .requeueAfter()
        // A timer of the rollout (deadline, auto-promotion, scale-down delay) is due then.
        .ifPresent(after -> control.rescheduleAfter(after.plusMillis(200)));
    return control;
  }

  /**
   * Decides once what the InferenceService does in this reconcile, before the workflow, and keeps
   * it in the context for the dependents: in the context, as JOSDK has each dependent build its
   * object from the primary and the context alone, and once, as a rollout's decision may read the
   * API server or send smoke requests.
   */
  private Plan plan(InferenceService resource, Context<InferenceService> context, Instant now) {
    Intent intent = Intent.of(resource, ModelConfigMap.hash(resource, context));
    RolloutStrategy strategy = strategies.of(intent);
    Rollout rollout = strategy.decide(resource, intent, context, now);
    return new Plan(
            intent,
            rollout,
            WorkloadSwitch.presence(
                strategy.runner(), intent, resource, ObservedState.from(resource, context)))
        .keepIn(context);
  }

  @Override
  public ErrorStatusUpdateControl<InferenceService> updateErrorStatus(
      InferenceService resource, Context<InferenceService> context, Exception e) {
    events.flush(resource);
    if (causedByInterrupt(e)) {
      // The operator is stopping; that says nothing about the InferenceService.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String message = FailureMessage.of(e);
    logOnce(resource, message, e);
    ObservedState observed = ObservedState.from(resource, context);
    Intent intent = Intent.of(resource, ModelConfigMap.hash(resource, observed.modelConfigMap()));
    // The rollout as last written, not this reconcile's decision: its objects may not exist.
    InferenceServiceStatus status =
        StatusAggregator.withError(
            StatusAggregator.aggregate(
                resource,
                intent,
                observed,
                strategies.of(intent).recorded(resource),
                clock.instant()),
            resource,
            message,
            clock.instant());
    try {
      writeStatus(resource, status, context);
    } catch (RuntimeException writeFailure) {
      log.warn(
          "Could not write the error status of {}/{}: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          writeFailure.getMessage());
    }
    // Written here, not by the framework, so the next attempt sees it; the error is still retried.
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  /**
   * Writes the status when it changed and announces a phase change once it is written.
   *
   * <p>The write goes through JOSDK's primary cache: a status returned in an {@link UpdateControl}
   * is patched but not cached, so the next reconcile (often triggered by a pod event a few
   * milliseconds later) would still see the old status, take the same phase change for new and
   * record its Event a second time.
   */
  private void writeStatus(
      InferenceService resource, InferenceServiceStatus status, Context<InferenceService> context) {
    InferenceServiceStatus previous = resource.getStatus();
    if (status.equals(previous)) {
      return;
    }
    InferenceService fresh =
        new InferenceServiceBuilder()
            .withNewMetadata()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .endMetadata()
            .withStatus(status)
            .build();
    statusWriter.write(resource, fresh, context);
    Phase previousPhase = previous == null ? null : previous.getPhase();
    // A new InferenceService on its way needs no Event of its own: the Created Event says so.
    boolean quietStart =
        previousPhase == null
            && (status.getPhase() == Phase.Pending || status.getPhase() == Phase.Progressing);
    if (previousPhase != status.getPhase() && !quietStart) {
      announcePhase(resource, previousPhase, status);
    }
  }

  private void announcePhase(
      InferenceService resource, Phase previous, InferenceServiceStatus status) {
    String message =
        "Phase "
            + (previous == null ? "" : previous + " -> ")
            + status.getPhase()
            + ": "
            + status.getReadyReplicas()
            + " of "
            + EffectiveSpec.replicas(resource)
            + " pods ready";
    boolean degraded = status.getPhase() == Phase.Degraded;
    if (degraded) {
      message +=
          "; "
              + Conditions.find(status.getConditions(), Conditions.DEGRADED)
                  .map(Condition::getMessage)
                  .orElse("");
    }
    log.info(
        "{}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        message);
    events.record(
        resource,
        degraded ? EventRecorder.Type.Warning : EventRecorder.Type.Normal,
        EventRecorder.Reason.enteredPhase(status.getPhase()),
        message);
  }

  private static boolean causedByInterrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException) {
        return true;
      }
    }
    return Thread.currentThread().isInterrupted();
  }

  /**
   * The full failure at WARN the first time it happens, at DEBUG while the same failure is retried:
   * a quota lasting an hour would otherwise log a stack trace every 30 s.
   */
  private void logOnce(InferenceService resource, String message, Exception e) {
    if (reportedFailure(resource).filter(message::equals).isPresent()) {
      log.debug(
          "Reconcile of {}/{} still fails: {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          message);
    } else {
      log.warn(
          "Reconcile of {}/{} failed (retried until it succeeds): {}",
          resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(),
          message,
          e);
    }
  }

  /**
   * The failure the status reports. It is the only memory of it, so nothing is kept for an
   * InferenceService deleted while failing.
   */
  private static Optional<String> reportedFailure(InferenceService resource) {
    return Optional.ofNullable(resource.getStatus())
        .flatMap(s -> Conditions.find(s.getConditions(), Conditions.DEGRADED))
        .filter(c -> ConditionReason.ReconcileFailed.name().equals(c.getReason()))
        .map(Condition::getMessage);
  }

  /** Patches the status of the primary and caches the result for the next reconcile. */
  @FunctionalInterface
  interface StatusWriter {
    InferenceService write(
        InferenceService primary, InferenceService freshWithStatus, Context<InferenceService> ctx);
  }
}
