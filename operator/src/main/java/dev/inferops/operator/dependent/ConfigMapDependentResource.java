package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.workload.AppSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The ConfigMap {@code <name>-config} holding the app settings the pods load as environment. */
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector = ResourceNaming.SETTINGS_CONFIG_SELECTOR,
            itemStore = ForeignManagedFieldsStore.ConfigMaps.class))
public class ConfigMapDependentResource extends OwnedDependentResource<ConfigMap> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "config";

  public ConfigMapDependentResource(EventRecorder events) {
    super(ConfigMap.class, events);
  }

  @Override
  protected ConfigMap desired(InferenceService primary, Context<InferenceService> context) {
    return build(primary);
  }

  public static ConfigMap build(InferenceService is) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.configMapName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.commonLabels(is))
        .endMetadata()
        .withData(AppSettings.all(is))
        .build();
  }
}
