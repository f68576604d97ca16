package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ServiceType;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * The active Service {@code <name>}: in front of all pods of the InferenceService, of any kind, or
 * of the active revision only with blue-green.
 */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ResourceNaming.ACTIVE_SERVICE_SELECTOR,
            itemStore = ForeignManagedFieldsStore.Services.class))
public class ServiceDependentResource extends OwnedDependentResource<Service> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "service";

  public ServiceDependentResource(EventRecorder events) {
    super(Service.class, events);
  }

  @Override
  protected Service desired(InferenceService primary, Context<InferenceService> context) {
    return build(primary, Plan.of(context).rollout().activeServiceRevision().orElse(null));
  }

  public static Service build(InferenceService is) {
    return build(is, null);
  }

  /**
   * The Service; with {@code activeRevision} it selects that revision's pods only, so a blue-green
   * promotion or rollback is this one selector write.
   */
  public static Service build(InferenceService is, String activeRevision) {
    ServiceType type = EffectiveSpec.serviceType(is);
    var port = httpPort(is);
    if (type == ServiceType.NodePort) {
      port.withNodePort(EffectiveSpec.nodePort(is));
    }
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.serviceName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.commonLabels(is))
        .endMetadata()
        .withNewSpec()
        .withType(type.name())
        .withSelector(
            activeRevision == null
                ? ResourceNaming.serviceSelector(is)
                : ResourceNaming.revisionSelector(is, activeRevision))
        .withPorts(port.build())
        .endSpec()
        .build();
  }

  /** The app's HTTP port on spec.service.port, shared by the active and the preview Service. */
  static ServicePortBuilder httpPort(InferenceService is) {
    return new ServicePortBuilder()
        .withName(PodTemplates.PORT_NAME)
        .withProtocol("TCP")
        .withPort(EffectiveSpec.servicePort(is))
        .withTargetPort(new IntOrString(PodTemplates.PORT_NAME));
  }

  /** Reconcile precondition: the Service exists only while spec.service.enabled is true. */
  public static class EnabledCondition implements Condition<Service, InferenceService> {
    @Override
    public boolean isMet(
        DependentResource<Service, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return EffectiveSpec.serviceEnabled(primary);
    }
  }
}
