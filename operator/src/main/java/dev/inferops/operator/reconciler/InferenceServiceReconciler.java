package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatus;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.dependent.ConfigMapDependentResource;
import dev.inferops.operator.dependent.DeploymentDependentResource;
import dev.inferops.operator.dependent.PodsDependentResource;
import dev.inferops.operator.dependent.ReplicaSetDependentResource;
import dev.inferops.operator.dependent.ServiceDependentResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles an InferenceService: the workflow applies the owned objects, this class only derives
 * the status from what the informers show and writes it when it changed.
 */
@ControllerConfiguration(name = InferenceServiceReconciler.NAME)
@Workflow(
    dependents = {
      @Dependent(name = "config", type = ConfigMapDependentResource.class),
      @Dependent(
          name = "service",
          type = ServiceDependentResource.class,
          reconcilePrecondition = ServiceDependentResource.EnabledCondition.class),
      @Dependent(
          name = "deployment",
          type = DeploymentDependentResource.class,
          dependsOn = "config",
          reconcilePrecondition = DeploymentDependentResource.KeepDeployment.class),
      @Dependent(
          name = "replicaset",
          type = ReplicaSetDependentResource.class,
          dependsOn = "config",
          reconcilePrecondition = ReplicaSetDependentResource.KeepReplicaSet.class),
      @Dependent(
          name = "pods",
          type = PodsDependentResource.class,
          dependsOn = "config",
          reconcilePrecondition = PodsDependentResource.KeepPods.class)
    })
public class InferenceServiceReconciler implements Reconciler<InferenceService> {

  public static final String NAME = "inferenceservice";

  private static final Logger log = LoggerFactory.getLogger(InferenceServiceReconciler.class);

  private final Clock clock;

  public InferenceServiceReconciler() {
    this(Clock.systemUTC());
  }

  public InferenceServiceReconciler(Clock clock) {
    this.clock = clock;
  }

  @Override
  public UpdateControl<InferenceService> reconcile(
      InferenceService resource, Context<InferenceService> context) {
    InferenceServiceStatus status =
        StatusAggregator.aggregate(
            resource, ObservedState.from(resource, context), clock.instant());
    return statusPatch(resource, status, context)
        .map(UpdateControl::patchStatus)
        .orElseGet(UpdateControl::noUpdate);
  }

  @Override
  public ErrorStatusUpdateControl<InferenceService> updateErrorStatus(
      InferenceService resource, Context<InferenceService> context, Exception e) {
    if (causedByInterrupt(e)) {
      // The operator is stopping; that says nothing about the InferenceService.
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    log.warn(
        "Reconcile of {}/{} failed: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        e.getMessage());
    InferenceServiceStatus status =
        StatusAggregator.withError(
            StatusAggregator.aggregate(
                resource, ObservedState.from(resource, context), clock.instant()),
            resource,
            rootMessage(e),
            clock.instant());
    return statusPatch(resource, status, context)
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::defaultErrorProcessing);
  }

  /** A fresh object carrying only the new status, or empty when the status did not change. */
  private java.util.Optional<InferenceService> statusPatch(
      InferenceService resource, InferenceServiceStatus status, Context<InferenceService> context) {
    InferenceServiceStatus previous = resource.getStatus();
    if (status.equals(previous)) {
      return java.util.Optional.empty();
    }
    Phase previousPhase = previous == null ? null : previous.getPhase();
    if (!Objects.equals(previousPhase, status.getPhase())) {
      announcePhase(resource, context, previousPhase, status);
    }
    InferenceService fresh = new InferenceService();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return java.util.Optional.of(fresh);
  }

  private void announcePhase(
      InferenceService resource,
      Context<InferenceService> context,
      Phase previous,
      InferenceServiceStatus status) {
    String message =
        "Phase "
            + (previous == null ? "" : previous + " -> ")
            + status.getPhase()
            + ": "
            + status.getReadyReplicas()
            + " of "
            + resource.getSpec().getReplicas()
            + " pods ready";
    boolean degraded = status.getPhase() == Phase.Degraded;
    if (degraded) {
      message +=
          "; "
              + Conditions.find(status.getConditions(), Conditions.DEGRADED)
                  .map(c -> c.getMessage())
                  .orElse("");
    }
    log.info(
        "{}/{}: {}",
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        message);
    EventRecorder.record(
        context.getClient(),
        resource,
        degraded ? EventRecorder.WARNING : EventRecorder.NORMAL,
        "Phase" + status.getPhase(),
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

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return Objects.requireNonNullElse(t.getMessage(), t.getClass().getSimpleName());
  }
}
