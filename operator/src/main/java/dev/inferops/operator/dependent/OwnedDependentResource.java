package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.events.EventRecorder.Reason;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dependent owned by (and garbage-collected with) the InferenceService that logs and records an
 * Event whenever it creates, updates or removes its object. JOSDK creates the dependents through
 * {@link OwnedDependentFactory}, which hands each the operator's one {@link EventRecorder}.
 */
public abstract class OwnedDependentResource<R extends HasMetadata>
    extends CRUDKubernetesDependentResource<R, InferenceService> {

  private static final Logger log = LoggerFactory.getLogger(OwnedDependentResource.class);

  private final EventRecorder events;

  protected OwnedDependentResource(Class<R> resourceType, EventRecorder events) {
    super(resourceType);
    this.events = events;
  }

  /**
   * Applies the desired state; when the API server rejects the apply as invalid, replaces the
   * object instead. Server-side apply merges lists by key, so an entry someone re-keyed (say a
   * Service port changed from 80 to 81 with kubectl) would otherwise sit next to ours as a
   * duplicate forever.
   */
  @Override
  public R update(
      R actual, R desired, InferenceService primary, Context<InferenceService> context) {
    try {
      return applyOrReplace(actual, desired, primary, context);
    } catch (KubernetesClientException e) {
      throw new OperationFailedException("update", desired, e);
    }
  }

  @Override
  public R create(R desired, InferenceService primary, Context<InferenceService> context) {
    try {
      return super.create(desired, primary, context);
    } catch (KubernetesClientException e) {
      throw new OperationFailedException("create", desired, e);
    }
  }

  private R applyOrReplace(
      R actual, R desired, InferenceService primary, Context<InferenceService> context) {
    try {
      return super.update(actual, desired, primary, context);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422) {
        throw e;
      }
      log.info(
          "Replacing {} {} of {}/{}: apply was rejected ({})",
          actual.getKind(),
          actual.getMetadata().getName(),
          primary.getMetadata().getNamespace(),
          primary.getMetadata().getName(),
          e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
      return context.getClient().resource(replacement(actual, desired, context)).update();
    }
  }

  /** The actual object with every desired top-level field and the desired labels and owners. */
  @SuppressWarnings("unchecked")
  private R replacement(R actual, R desired, Context<InferenceService> context) {
    var serialization = context.getClient().getKubernetesSerialization();
    Map<String, Object> result = serialization.convertValue(actual, Map.class);
    Map<String, Object> wanted = serialization.convertValue(desired, Map.class);
    wanted.forEach(
        (key, value) -> {
          if (!Set.of("metadata", "apiVersion", "kind", "status").contains(key)) {
            result.put(key, value);
          }
        });
    R replacement = serialization.convertValue(result, resourceType());
    replacement.getMetadata().getLabels().putAll(desired.getMetadata().getLabels());
    replacement.getMetadata().setOwnerReferences(desired.getMetadata().getOwnerReferences());
    return replacement;
  }

  @Override
  protected void onCreated(InferenceService primary, R created, Context<InferenceService> context) {
    super.onCreated(primary, created, context);
    announce(primary, Reason.Created, created);
  }

  @Override
  protected void onUpdated(
      InferenceService primary, R updated, R actual, Context<InferenceService> context) {
    super.onUpdated(primary, updated, actual, context);
    announce(primary, updateReason(), updated);
  }

  /** How an update of this object is described in logs and Events. */
  protected Reason updateReason() {
    return Reason.Updated;
  }

  @Override
  protected void handleDelete(
      InferenceService primary, R secondary, Context<InferenceService> context) {
    try {
      super.handleDelete(primary, secondary, context);
    } catch (KubernetesClientException e) {
      if (secondary == null) {
        throw e;
      }
      throw new OperationFailedException("delete", secondary, e);
    }
    if (secondary != null) {
      announce(primary, Reason.Deleted, secondary);
    }
  }

  @Override
  public void deleteTargetResource(
      InferenceService primary, R resource, ResourceID key, Context<InferenceService> context) {
    try {
      super.deleteTargetResource(primary, resource, key, context);
    } catch (KubernetesClientException e) {
      throw new OperationFailedException("delete", resource, e);
    }
    announce(primary, Reason.Deleted, resource);
  }

  protected void announce(InferenceService primary, Reason reason, R object) {
    String message = reason + " " + object.getKind() + " " + object.getMetadata().getName();
    log.info(
        "{} for {}/{}",
        message,
        primary.getMetadata().getNamespace(),
        primary.getMetadata().getName());
    events.record(primary, EventRecorder.Type.Normal, reason, message);
  }
}
