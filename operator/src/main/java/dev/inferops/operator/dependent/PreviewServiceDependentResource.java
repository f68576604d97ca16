package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.util.Map;

/**
 * The ClusterIP Service {@code <name>-preview} of a blue-green InferenceService: only the pods of
 * the revision under test, so its endpoints and the smoke test see the new version alone.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.PREVIEW_SELECTOR))
public class PreviewServiceDependentResource extends OwnedDependentResource<Service> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "preview-service";

  public PreviewServiceDependentResource(EventRecorder events) {
    super(Service.class, events);
  }

  @Override
  protected Service desired(InferenceService primary, Context<InferenceService> context) {
    Plan plan = Plan.of(context);
    // JOSDK also asks for the desired object to name the one to delete, without a preview then.
    return build(primary, plan.rollout().previewServiceRevision().orElse(plan.intent().revision()));
  }

  public static Service build(InferenceService is, String revision) {
    Map<String, String> labels = ResourceNaming.commonLabels(is);
    labels.put(ResourceNaming.LABEL_SERVICE_ROLE, ResourceNaming.PREVIEW_ROLE);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.previewServiceName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(ResourceNaming.revisionSelector(is, revision))
        .withPorts(ServiceDependentResource.httpPort(is).build())
        .endSpec()
        .build();
  }

  /** Reconcile precondition: a rollout that checks a preview, with the Service enabled. */
  public static class PreviewCondition implements Condition<Service, InferenceService> {
    @Override
    public boolean isMet(
        DependentResource<Service, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return Plan.of(context).rollout().previewServiceRevision().isPresent()
          && EffectiveSpec.serviceEnabled(primary);
    }
  }
}
