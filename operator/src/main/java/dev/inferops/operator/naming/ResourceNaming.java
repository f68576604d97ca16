package dev.inferops.operator.naming;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** Names, labels and annotations of everything the operator owns, and the selectors over them. */
public final class ResourceNaming {

  public static final String LABEL_NAME = "app.kubernetes.io/name";
  public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
  public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";

  /** Part of every workload selector, so one kind never adopts the pods of another. */
  public static final String LABEL_WORKLOAD = "inferops.dev/workload";

  /** The pod-template revision of a blue-green Deployment and its pods. */
  public static final String LABEL_REVISION = "inferops.dev/revision";

  public static final String APP_NAME = "inference-service";
  public static final String MANAGER = "inference-operator";

  /** Label selector of the informers: only objects this operator manages. */
  public static final String MANAGED_SELECTOR = LABEL_MANAGED_BY + "=" + MANAGER;

  /** Marks the preview Service (and, as Services' labels are copied, its EndpointSlices). */
  public static final String LABEL_SERVICE_ROLE = "inferops.dev/service-role";

  public static final String PREVIEW_ROLE = "preview";

  /** Label selector of the preview Services and their EndpointSlices. */
  public static final String PREVIEW_SELECTOR =
      MANAGED_SELECTOR + "," + LABEL_SERVICE_ROLE + "=" + PREVIEW_ROLE;

  /** Label selector of the active Service. */
  public static final String ACTIVE_SERVICE_SELECTOR = MANAGED_SELECTOR + ",!" + LABEL_SERVICE_ROLE;

  /** Marks the shadow ConfigMap, to tell it from the settings ConfigMap. */
  public static final String LABEL_CONFIG_ROLE = "inferops.dev/config-role";

  public static final String SHADOW_ROLE = "shadow";

  /** Label selector of the settings ConfigMaps. */
  public static final String SETTINGS_CONFIG_SELECTOR = MANAGED_SELECTOR + ",!" + LABEL_CONFIG_ROLE;

  /** Label selector of the shadow ConfigMaps. */
  public static final String SHADOW_CONFIG_SELECTOR =
      MANAGED_SELECTOR + "," + LABEL_CONFIG_ROLE + "=" + SHADOW_ROLE;

  /** Label selector of the blue-green revision Deployments. */
  public static final String REVISION_SELECTOR = MANAGED_SELECTOR + "," + LABEL_REVISION;

  /** Label selector of the one Deployment of a rolling update. */
  public static final String ROLLING_SELECTOR = MANAGED_SELECTOR + ",!" + LABEL_REVISION;

  public static final String ANNOTATION_CONFIG_HASH = "inferops.dev/config-hash";
  public static final String ANNOTATION_MODEL_HASH = "inferops.dev/model-hash";
  public static final String ANNOTATION_TEMPLATE_HASH = "inferops.dev/template-hash";

  /** Commands on the InferenceService, consumed (removed) once acted on; any value. */
  public static final String ANNOTATION_PROMOTE = "inferops.dev/promote";

  public static final String ANNOTATION_ABORT = "inferops.dev/abort";
  public static final String ANNOTATION_ROLLBACK = "inferops.dev/rollback";
  public static final String ANNOTATION_RETRY = "inferops.dev/retry";

  public static final String CONTAINER_NAME = "inference";

  private ResourceNaming() {}

  public static String name(InferenceService is) {
    return is.getMetadata().getName();
  }

  public static String namespace(InferenceService is) {
    return is.getMetadata().getNamespace();
  }

  public static String workloadName(InferenceService is) {
    return name(is);
  }

  public static String serviceName(InferenceService is) {
    return name(is);
  }

  /** The in-cluster URL of the Service. */
  public static String serviceUrl(InferenceService is) {
    return "http://"
        + serviceName(is)
        + "."
        + namespace(is)
        + ".svc:"
        + EffectiveSpec.servicePort(is);
  }

  public static String previewServiceName(InferenceService is) {
    return name(is) + "-preview";
  }

  /** The Deployment of one blue-green revision. */
  public static String revisionDeploymentName(InferenceService is, String revision) {
    return name(is) + "-" + revision;
  }

  public static String disruptionBudgetName(InferenceService is) {
    return name(is);
  }

  /** Selector of the pods of one blue-green revision. */
  public static Map<String, String> revisionSelector(InferenceService is, String revision) {
    Map<String, String> selector = workloadSelector(is, WorkloadKind.Deployment);
    selector.put(LABEL_REVISION, revision);
    return selector;
  }

  public static String configMapName(InferenceService is) {
    return name(is) + "-config";
  }

  /** The ConfigMap that tells the live pods of a blue-green rollout where to copy requests. */
  public static String shadowConfigMapName(InferenceService is) {
    return name(is) + "-shadow";
  }

  public static String podName(InferenceService is, int index) {
    return name(is) + "-" + index;
  }

  /** Labels on every owned object. */
  public static Map<String, String> commonLabels(InferenceService is) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(LABEL_NAME, APP_NAME);
    labels.put(LABEL_INSTANCE, name(is));
    labels.put(LABEL_MANAGED_BY, MANAGER);
    return labels;
  }

  /** Selector of all pods of this InferenceService, whatever workload runs them. */
  public static Map<String, String> serviceSelector(InferenceService is) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(LABEL_NAME, APP_NAME);
    selector.put(LABEL_INSTANCE, name(is));
    return selector;
  }

  /** Selector of the pods of one workload kind. */
  public static Map<String, String> workloadSelector(InferenceService is, WorkloadKind kind) {
    Map<String, String> selector = serviceSelector(is);
    selector.put(LABEL_WORKLOAD, kind.name());
    return selector;
  }

  /** Labels of a pod (template) of one workload kind. */
  /** Whether {@code object} carries this InferenceService's instance label, in its namespace. */
  public static boolean belongsTo(HasMetadata object, InferenceService is) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels != null
        && Objects.equals(name(is), labels.get(LABEL_INSTANCE))
        && Objects.equals(namespace(is), object.getMetadata().getNamespace());
  }

  /** Labels of the objects and pods of one blue-green revision. */
  public static Map<String, String> revisionLabels(InferenceService is, String revision) {
    Map<String, String> labels = podLabels(is, WorkloadKind.Deployment);
    labels.put(LABEL_REVISION, revision);
    return labels;
  }

  public static Map<String, String> podLabels(InferenceService is, WorkloadKind kind) {
    Map<String, String> labels = commonLabels(is);
    labels.put(LABEL_WORKLOAD, kind.name());
    return labels;
  }

  /** The selector as a string, as status.selector and kubectl want it. */
  public static String selectorString(Map<String, String> selector) {
    return selector.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .sorted()
        .collect(Collectors.joining(","));
  }

  /** The workload kind a pod belongs to, from its label. */
  public static Optional<WorkloadKind> workloadOf(Map<String, String> labels) {
    if (labels == null || labels.get(LABEL_WORKLOAD) == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(WorkloadKind.valueOf(labels.get(LABEL_WORKLOAD)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
