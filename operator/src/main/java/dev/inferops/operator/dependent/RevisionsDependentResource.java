package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.BlueGreenPlanner;
import dev.inferops.operator.rollout.BlueGreenRollout.Decision;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Objects a blue-green InferenceService keeps one of per revision, as the reconcile's {@link
 * Decision} says; while another workload is wanted they are kept untouched until it is up (see
 * {@link BlueGreenDeploymentsDependentResource.KeepRevisions}).
 */
abstract class RevisionsDependentResource<R extends HasMetadata> extends OwnedDependentResource<R>
    implements BulkDependentResource<R, InferenceService, ResourceID> {

  RevisionsDependentResource(Class<R> resourceType, EventRecorder events) {
    super(resourceType, events);
  }

  /**
   * The objects of the decided revisions; {@code actual} are this InferenceService's, by revision.
   */
  protected abstract Map<ResourceID, R> desired(
      InferenceService primary,
      Decision decision,
      Map<String, R> actual,
      Context<InferenceService> context);

  /** The name {@code <name>-<revision>}, namespace and labels of a revision's object. */
  static ObjectMeta metadata(InferenceService is, String revision) {
    return new ObjectMetaBuilder()
        .withName(ResourceNaming.revisionDeploymentName(is, revision))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.revisionLabels(is, revision))
        .build();
  }

  @Override
  public ReconcileResult<R> reconcile(InferenceService primary, Context<InferenceService> context) {
    if (!EffectiveSpec.blueGreen(primary)) {
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(primary, context);
  }

  @Override
  public final Map<ResourceID, R> desiredResources(
      InferenceService primary, Context<InferenceService> context) {
    Decision decision =
        BlueGreenPlanner.decision(context)
            .orElseThrow(() -> new IllegalStateException("no blue-green decision"));
    return desired(
        primary,
        decision,
        BlueGreenPlanner.byRevision(getSecondaryResources(primary, context).values()),
        context);
  }

  @Override
  public Map<ResourceID, R> getSecondaryResources(
      InferenceService primary, Context<InferenceService> context) {
    return BlueGreenPlanner.ownRevisionObjects(
            primary, eventSource().orElseThrow().getSecondaryResources(primary))
        .stream()
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity(), (a, b) -> a));
  }
}
