package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.PodStates;
import dev.inferops.operator.workload.Runner;
import dev.inferops.operator.workload.WorkloadSwitch;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bare pods {@code <name>-0 .. <name>-(replicas-1)} of workload Pod.
 *
 * <p>Its informer watches every managed pod and maps it to its InferenceService by the instance
 * label (pods of ReplicaSets and Deployments are not owned by it directly), so the status sees the
 * pods of all kinds. A pod whose template hash differs is deleted and re-created, as most of a
 * pod's spec cannot be changed in place.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ResourceNaming.MANAGED_SELECTOR,
            itemStore = ForeignManagedFieldsStore.Pods.class))
public class PodsDependentResource extends WorkloadDependentResource<Pod>
    implements KubernetesBulkDependentResource<Pod, InferenceService>,
        SecondaryToPrimaryMapper<Pod> {

  private static final Logger log = LoggerFactory.getLogger(PodsDependentResource.class);

  /** Name of this dependent in the workflow. */
  public static final String NAME = "pods";

  public PodsDependentResource(EventRecorder events) {
    super(Pod.class, Runner.BARE_PODS, events);
  }

  @Override
  public Map<ResourceID, Pod> desiredResources(
      InferenceService primary, Context<InferenceService> context) {
    return build(primary, Plan.of(context).intent().template());
  }

  /** The desired pods keyed by their id, each from {@code template}, the spec's pod template. */
  public static Map<ResourceID, Pod> build(InferenceService is, PodTemplateSpec template) {
    Map<ResourceID, Pod> pods = new LinkedHashMap<>();
    for (int i = 0; i < EffectiveSpec.replicas(is); i++) {
      Pod pod =
          new PodBuilder()
              .withNewMetadataLike(template.getMetadata())
              .withName(ResourceNaming.podName(is, i))
              .withNamespace(ResourceNaming.namespace(is))
              .endMetadata()
              .withSpec(template.getSpec())
              .build();
      pods.put(ResourceID.fromResource(pod), pod);
    }
    return pods;
  }

  @Override
  public Predicate<Pod> secondaryResourceFilter(
      InferenceService primary, Context<InferenceService> context) {
    return pod -> WorkloadSwitch.isBarePod(pod, primary);
  }

  @Override
  public Matcher.Result<Pod> match(
      Pod actual, Pod desired, InferenceService primary, Context<InferenceService> context) {
    boolean same =
        Objects.equals(PodStates.templateHash(actual), PodStates.templateHash(desired))
            || PodStates.isTerminating(actual);
    return Matcher.Result.computed(same, desired);
  }

  @Override
  public Pod update(
      Pod actual, Pod desired, InferenceService primary, Context<InferenceService> context) {
    log.info(
        "Replacing pod {} of {}/{}: its template changed",
        actual.getMetadata().getName(),
        primary.getMetadata().getNamespace(),
        primary.getMetadata().getName());
    context.getClient().resource(actual).delete();
    return actual;
  }

  @Override
  protected EventRecorder.Reason updateReason() {
    return EventRecorder.Reason.Replaced;
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(ResourceNaming.LABEL_INSTANCE);
    return instance == null
        ? Set.of()
        : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
  }

  /** Reconcile precondition: keep the pods while wanted or while a switch needs them. */
  public static class KeepPods extends KeepCondition<Pod> {
    public KeepPods() {
      super(Runner.BARE_PODS);
    }
  }
}
