package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/**
 * An informer cache without the managed fields the operator never reads. Server-side apply's
 * matcher compares the desired object with the fields the operator's own field manager owns, so
 * objects an InferenceService owns keep that one entry; the others' entries (the controllers'
 * status updates, kwok's) and every entry of objects the operator only reads (pods a ReplicaSet
 * owns) go. Managed fields are a large part of each cached object, and at a thousand
 * InferenceServices the caches are most of the heap.
 */
public class ForeignManagedFieldsStore<R extends HasMetadata> extends BasicItemStore<R> {

  /** JOSDK's field manager: the controller's name, {@code InferenceServiceReconciler.NAME}. */
  static final String FIELD_MANAGER = "inferenceservice";

  public ForeignManagedFieldsStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R object) {
    List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
    if (entries != null && !entries.isEmpty()) {
      object
          .getMetadata()
          .setManagedFields(
              ownedByAnInferenceService(object)
                  ? entries.stream().filter(e -> FIELD_MANAGER.equals(e.getManager())).toList()
                  : null);
    }
    return super.put(key, object);
  }

  static boolean ownedByAnInferenceService(HasMetadata object) {
    List<OwnerReference> owners = object.getMetadata().getOwnerReferences();
    return owners != null
        && owners.stream().anyMatch(o -> InferenceServiceConstants.KIND.equals(o.getKind()));
  }

  /** The pods' cache. */
  public static final class Pods extends ForeignManagedFieldsStore<Pod> {}

  /** The Deployments' cache. */
  public static final class Deployments extends ForeignManagedFieldsStore<Deployment> {}

  /** The Services' cache. */
  public static final class Services extends ForeignManagedFieldsStore<Service> {}

  /** The settings ConfigMaps' cache. */
  public static final class ConfigMaps extends ForeignManagedFieldsStore<ConfigMap> {}
}
