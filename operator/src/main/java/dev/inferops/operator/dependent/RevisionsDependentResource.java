package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.workload.Revisions;
import dev.inferops.operator.workload.Runner;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Objects kept one per pod-template revision, for the revisions the reconcile's {@link Plan} keeps;
 * they belong to {@link Runner#REVISION_DEPLOYMENTS}.
 */
abstract class RevisionsDependentResource<R extends HasMetadata>
    extends WorkloadDependentResource<R>
    implements BulkDependentResource<R, InferenceService, ResourceID> {

  RevisionsDependentResource(Class<R> resourceType, EventRecorder events) {
    super(resourceType, Runner.REVISION_DEPLOYMENTS, events);
  }

  /**
   * The objects of the planned revisions; {@code actual} are this InferenceService's, by revision.
   */
  protected abstract Map<ResourceID, R> desired(
      InferenceService primary,
      Plan plan,
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
  public final Map<ResourceID, R> desiredResources(
      InferenceService primary, Context<InferenceService> context) {
    return desired(
        primary,
        Plan.of(context),
        Revisions.byRevision(getSecondaryResources(primary, context).values()),
        context);
  }

  @Override
  public Map<ResourceID, R> getSecondaryResources(
      InferenceService primary, Context<InferenceService> context) {
    return Revisions.ownRevisionObjects(
            primary, eventSource().orElseThrow().getSecondaryResources(primary))
        .stream()
        .collect(Collectors.toMap(ResourceID::fromResource, Function.identity(), (a, b) -> a));
  }
}
