package dev.inferops.operator.dependent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ShadowSpec;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.ShadowFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The ConfigMap {@code <name>-shadow} of a blue-green InferenceService with a shadow: while a
 * preview is in its shadow phase, the key {@code <live revision>.json} tells the live pods to copy
 * a sample of their prediction requests to the preview Service (see {@link ShadowFiles}); at other
 * times it is empty and nothing is copied.
 */
@KubernetesDependent(informer = @Informer(labelSelector = ResourceNaming.SHADOW_CONFIG_SELECTOR))
public class ShadowConfigMapDependentResource extends OwnedDependentResource<ConfigMap> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "shadow-config";

  private static final ObjectMapper JSON = new ObjectMapper();

  public ShadowConfigMapDependentResource(EventRecorder events) {
    super(ConfigMap.class, events);
  }

  @Override
  protected ConfigMap desired(InferenceService primary, Context<InferenceService> context) {
    Optional<String> live = Plan.of(context).rollout().shadowSourceRevision();
    // The preview's ClusterIP rather than its DNS name: it needs no cluster DNS, and it is known
    // once the preview Service exists, which it does while a preview waits.
    Optional<String> target =
        context.getSecondaryResources(Service.class).stream()
            .filter(
                s -> ResourceNaming.previewServiceName(primary).equals(s.getMetadata().getName()))
            .map(s -> s.getSpec().getClusterIP())
            .filter(ip -> ip != null && !ip.isBlank() && !"None".equals(ip))
            .findFirst()
            .map(
                ip ->
                    "http://"
                        + (ip.contains(":") ? "[" + ip + "]" : ip)
                        + ":"
                        + EffectiveSpec.servicePort(primary));
    return build(primary, live.flatMap(l -> target.map(t -> Map.entry(l, t))));
  }

  /**
   * Compares the files exactly, not as server-side apply's matcher does: that one sees an empty
   * desired {@code data} inside any actual one, so the file of a shadow that ended would stay and
   * the live pods would go on copying.
   */
  @Override
  public Matcher.Result<ConfigMap> match(
      ConfigMap actual,
      ConfigMap desired,
      InferenceService primary,
      Context<InferenceService> context) {
    boolean sameFiles =
        Objects.equals(
            Optional.ofNullable(actual.getData()).orElse(Map.of()),
            Optional.ofNullable(desired.getData()).orElse(Map.of()));
    return sameFiles
        ? super.match(actual, desired, primary, context)
        : Matcher.Result.computed(false, desired);
  }

  /**
   * The ConfigMap; with {@code copy} (the live revision and the preview's base URL), the live
   * revision's settings file.
   */
  public static ConfigMap build(InferenceService is, Optional<Map.Entry<String, String>> copy) {
    Map<String, String> labels = ResourceNaming.commonLabels(is);
    labels.put(ResourceNaming.LABEL_CONFIG_ROLE, ResourceNaming.SHADOW_ROLE);
    Map<String, String> data = new LinkedHashMap<>();
    ShadowSpec shadow = EffectiveSpec.shadow(is).orElse(null);
    if (shadow != null && copy.isPresent()) {
      data.put(ShadowFiles.key(copy.get().getKey()), settings(copy.get().getValue(), shadow));
    }
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.shadowConfigMapName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(labels)
        .endMetadata()
        .withData(data)
        .build();
  }

  /** The app's shadow settings file (see the app's ShadowConfig). */
  static String settings(String target, ShadowSpec shadow) {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("target", target);
    settings.put("sampleRate", shadow.getSampleRate());
    settings.put("probabilityTolerance", shadow.getProbabilityTolerance());
    try {
      return JSON.writeValueAsString(settings);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reconcile precondition: a blue-green InferenceService with a shadow block. */
  public static class ShadowConfigured implements Condition<ConfigMap, InferenceService> {
    @Override
    public boolean isMet(
        DependentResource<ConfigMap, InferenceService> dependentResource,
        InferenceService primary,
        Context<InferenceService> context) {
      return EffectiveSpec.shadow(primary).isPresent();
    }
  }
}
