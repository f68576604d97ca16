package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;

/**
 * An informer cache that drops {@code metadata.managedFields} of the objects the operator only
 * reads: pods owned by a ReplicaSet rather than by an InferenceService. Server-side apply's matcher
 * needs the managed fields of what the operator applies, so bare pods keep them; for the rest they
 * are a large part of each cached object, and the pods are the largest cache.
 */
public class ForeignManagedFieldsStore<R extends HasMetadata> extends BasicItemStore<R> {

  public ForeignManagedFieldsStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public R put(String key, R object) {
    if (!ownedByAnInferenceService(object)) {
      object.getMetadata().setManagedFields(null);
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
}
