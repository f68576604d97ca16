package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The user's ConfigMap named by {@code spec.model}: read, never written. The app reads the model
 * once at start, so the pod template carries a hash of the model's content, and a changed model
 * rolls the pods like a changed settings ConfigMap does.
 */
public final class ModelConfigMap {

  /** Name of the event source, to tell it from the informer of the settings ConfigMaps. */
  public static final String EVENT_SOURCE = "model-configmap";

  /** Stands in for the content hash while the ConfigMap or its key is missing. */
  public static final String MISSING = "missing";

  /** Index of the primary cache: InferenceServices by {@code <namespace>/<model ConfigMap>}. */
  static final String INDEX = "model-configmap";

  /** Every ConfigMap but the operator's own settings ConfigMaps. */
  static final String NOT_OURS = ResourceNaming.LABEL_MANAGED_BY + "!=" + ResourceNaming.MANAGER;

  private ModelConfigMap() {}

  /**
   * An informer on the ConfigMaps of the watched namespaces that the operator does not own, mapped
   * both ways by name: a ConfigMap to the InferenceServices whose spec names it (through an index
   * of the primary cache), an InferenceService to the ConfigMap it names. The second direction
   * cannot be left to JOSDK's index of past events, as a ConfigMap created before its
   * InferenceService would never be found.
   *
   * <p>Memory: the operator's own settings ConfigMaps (one per InferenceService, already in the
   * settings dependent's cache) are left out by label. User ConfigMaps carry no label of ours, and
   * which names are wanted is only known from the InferenceServices, so neither a label nor a field
   * selector can narrow the watch further without an API change (a required label on model
   * ConfigMaps). The rest is bounded by the namespaces the controller watches; set WATCH_NAMESPACES
   * where that matters.
   */
  public static InformerEventSource<ConfigMap, InferenceService> eventSource(
      EventSourceContext<InferenceService> context) {
    context
        .getPrimaryCache()
        .addIndexer(INDEX, is -> referenced(is).map(id -> List.of(indexKey(id))).orElse(List.of()));
    PrimaryToSecondaryMapper<InferenceService> toConfigMap =
        is -> referenced(is).map(Set::of).orElse(Set.of());
    var configuration =
        InformerEventSourceConfiguration.from(ConfigMap.class, InferenceService.class)
            .withName(EVENT_SOURCE)
            .withNamespacesInheritedFromController()
            .withLabelSelector(NOT_OURS)
            .withPrimaryToSecondaryMapper(toConfigMap)
            .withSecondaryToPrimaryMapper(
                configMap ->
                    context
                        .getPrimaryCache()
                        .byIndex(INDEX, indexKey(ResourceID.fromResource(configMap)))
                        .stream()
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /**
   * The model ConfigMap as the informer sees it; empty without a ConfigMap model or when it is
   * missing.
   */
  public static Optional<ConfigMap> observed(
      InferenceService is, Context<InferenceService> context) {
    if (source(is).isEmpty()) {
      return Optional.empty();
    }
    return context.getSecondaryResource(ConfigMap.class, EVENT_SOURCE);
  }

  /** The model hash for the pod template of what the informer sees. */
  public static String hash(InferenceService is, Context<InferenceService> context) {
    return hash(is, observed(is, context));
  }

  /**
   * The hash of the model's content: null without a ConfigMap model (a claim's or a URL's model is
   * named in the pod template itself), {@link #MISSING} when the ConfigMap or its key is missing,
   * otherwise a hash of the key's value as stored (binaryData base64-encoded).
   */
  public static String hash(InferenceService is, Optional<ConfigMap> configMap) {
    return source(is)
        .map(model -> content(configMap, model.key()))
        .map(content -> content.map(Hashing::hash).orElse(MISSING))
        .orElse(null);
  }

  /** Why the pods cannot read the model, if they cannot. */
  public static Optional<String> problem(InferenceService is, Optional<ConfigMap> configMap) {
    ModelSource.FromConfigMap model = source(is).orElse(null);
    if (model == null) {
      return Optional.empty();
    }
    if (configMap.isEmpty()) {
      return Optional.of(
          "model ConfigMap "
              + model.name()
              + " not found"
              // The API server refuses a larger ConfigMap, so too big a model shows as missing.
              + (model.onnx()
                  ? " (a ConfigMap holds at most 1 MiB; a larger model goes in spec.model.pvc"
                      + " or spec.model.url)"
                  : ""));
    }
    if (content(configMap, model.key()).isEmpty()) {
      return Optional.of(
          "key "
              + model.key()
              + " missing in model ConfigMap "
              + model.name()
              + keys(configMap.get()));
    }
    return Optional.empty();
  }

  /**
   * {@code sha256:<hex>} of the model file the pods read: the key's value as bytes (binaryData
   * decoded), so it equals sha256sum of the file the ConfigMap was made from; empty when missing.
   */
  public static Optional<String> digest(Optional<ConfigMap> configMap, String key) {
    return configMap.flatMap(
        cm ->
            value(cm.getData(), key)
                .map(text -> text.getBytes(StandardCharsets.UTF_8))
                .or(() -> value(cm.getBinaryData(), key).map(ModelConfigMap::decode))
                .map(bytes -> "sha256:" + Hashing.sha256(bytes)));
  }

  private static byte[] decode(String base64) {
    // The API server stores valid base64 only; the MIME decoder also takes line breaks.
    return Base64.getMimeDecoder().decode(base64);
  }

  /** The keys a ConfigMap does have, in parentheses, to spot a misspelt key. */
  private static String keys(ConfigMap cm) {
    TreeSet<String> keys = new TreeSet<>();
    Optional.ofNullable(cm.getData()).ifPresent(d -> keys.addAll(d.keySet()));
    Optional.ofNullable(cm.getBinaryData()).ifPresent(d -> keys.addAll(d.keySet()));
    return keys.isEmpty() ? " (it has no keys)" : " (it has " + String.join(", ", keys) + ")";
  }

  private static Optional<ModelSource.FromConfigMap> source(InferenceService is) {
    return ModelSource.of(is)
        .filter(ModelSource.FromConfigMap.class::isInstance)
        .map(ModelSource.FromConfigMap.class::cast);
  }

  private static Optional<String> content(Optional<ConfigMap> configMap, String key) {
    return configMap.flatMap(
        cm ->
            value(cm.getData(), key)
                // A ConfigMap volume projects binaryData keys just like data keys.
                .or(() -> value(cm.getBinaryData(), key)));
  }

  private static Optional<String> value(Map<String, String> entries, String key) {
    return entries == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
  }

  private static Optional<ResourceID> referenced(InferenceService is) {
    return source(is).map(model -> new ResourceID(model.name(), ResourceNaming.namespace(is)));
  }

  private static String indexKey(ResourceID id) {
    return id.getNamespace().orElse("") + "/" + id.getName();
  }
}
