package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Pod-template revisions: the short name of a template hash, and the objects kept per revision (a
 * Deployment and a snapshot of its template each) as the informers show them.
 */
public final class Revisions {

  /** Reads and writes the pod templates of snapshots. */
  public static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Revisions() {}

  /** The length of the template hash that names a revision. */
  public static String revision(String templateHash) {
    return templateHash.substring(0, Math.min(10, templateHash.length()));
  }

  /** The revision Deployments of this InferenceService. */
  public static List<Deployment> revisionDeployments(
      InferenceService is, Collection<Deployment> deployments) {
    return ownRevisionObjects(is, deployments);
  }

  /** This InferenceService's objects among {@code objects} that belong to a revision. */
  public static <R extends HasMetadata> List<R> ownRevisionObjects(
      InferenceService is, Collection<R> objects) {
    return objects.stream()
        .filter(o -> ResourceNaming.belongsTo(o, is))
        .filter(o -> o.getMetadata().getLabels().containsKey(ResourceNaming.LABEL_REVISION))
        .distinct()
        .toList();
  }

  /** The pod template a revision snapshot (ControllerRevision) holds. */
  public static PodTemplateSpec template(ControllerRevision snapshot) {
    return SERIALIZATION.convertValue(snapshot.getData(), PodTemplateSpec.class);
  }

  /** This InferenceService's revision snapshots (ControllerRevisions) by revision. */
  public static Map<String, ControllerRevision> revisionSnapshots(
      InferenceService is, Collection<ControllerRevision> snapshots) {
    return byRevision(ownRevisionObjects(is, snapshots));
  }

  /** Objects labelled with a revision, by revision. */
  public static <R extends HasMetadata> Map<String, R> byRevision(Collection<R> objects) {
    return objects.stream()
        .filter(o -> o.getMetadata().getLabels() != null)
        .filter(o -> o.getMetadata().getLabels().containsKey(ResourceNaming.LABEL_REVISION))
        .collect(
            Collectors.toMap(
                o -> o.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION),
                Function.identity(),
                (a, b) -> a,
                LinkedHashMap::new));
  }
}
