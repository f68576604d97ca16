package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ProbeSpec;
import dev.inferops.operator.api.v1alpha1.ProbesSpec;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod template shared by bare pods, the ReplicaSet and the Deployment: a pure function of the
 * InferenceService, the workload kind and the hash of the model's content.
 */
public final class PodTemplates {

  public static final long RUN_AS_ID = 10001L;
  public static final String PORT_NAME = "http";

  static final ResourceRequirements DEFAULT_RESOURCES =
      new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity("100m"))
          .addToRequests("memory", new Quantity("128Mi"))
          .addToLimits("cpu", new Quantity("500m"))
          .addToLimits("memory", new Quantity("256Mi"))
          .build();

  private PodTemplates() {}

  /**
   * The pod template for the given kind, annotated with its own hash, the settings' hash and the
   * model's hash.
   *
   * @param modelHash {@link ModelConfigMap#hash} of the model ConfigMap; null without a model
   */
  public static PodTemplateSpec desired(InferenceService is, WorkloadKind kind, String modelHash) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(ResourceNaming.ANNOTATION_CONFIG_HASH, Hashing.hash(AppSettings.all(is)));
    if (modelHash != null) {
      // The app reads the model only at start: a new hash rolls the pods onto the new content.
      annotations.put(ResourceNaming.ANNOTATION_MODEL_HASH, modelHash);
    }
    PodTemplateSpec template =
        new PodTemplateSpecBuilder()
            .withNewMetadata()
            .withLabels(ResourceNaming.podLabels(is, kind))
            .withAnnotations(annotations)
            .endMetadata()
            .withSpec(podSpec(is))
            .build();
    // Hashing the template before the hash is added makes it a pure function of the spec, so
    // a pod can be compared with what is desired without a field-by-field diff.
    template
        .getMetadata()
        .getAnnotations()
        .put(ResourceNaming.ANNOTATION_TEMPLATE_HASH, Hashing.hash(template));
    return template;
  }

  /** The template hash the pods of this kind carry when they are up to date. */
  public static String templateHash(InferenceService is, WorkloadKind kind, String modelHash) {
    return desired(is, kind, modelHash)
        .getMetadata()
        .getAnnotations()
        .get(ResourceNaming.ANNOTATION_TEMPLATE_HASH);
  }

  static PodSpec podSpec(InferenceService is) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    ModelSpec model = EffectiveSpec.spec(is).getModel();
    if (model != null) {
      volumes.add(
          new VolumeBuilder()
              .withName("model")
              .withNewConfigMap()
              .withName(model.getConfigMapName())
              .addNewItem()
              .withKey(ModelConfigMap.key(model))
              .withPath(AppSettings.MODEL_FILE)
              .endItem()
              .endConfigMap()
              .build());
    }
    InferenceServiceSpec spec = EffectiveSpec.spec(is);
    return new PodSpecBuilder()
        .withAutomountServiceAccountToken(false)
        .withNodeSelector(spec.getNodeSelector())
        .withTolerations(spec.getTolerations())
        .withAffinity(spec.getAffinity())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS_ID)
        .withRunAsGroup(RUN_AS_ID)
        .withFsGroup(RUN_AS_ID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(is))
        .withVolumes(volumes)
        .build();
  }

  static Container container(InferenceService is) {
    InferenceServiceSpec spec = EffectiveSpec.spec(is);
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    if (spec.getModel() != null) {
      mounts.add(
          new VolumeMountBuilder()
              .withName("model")
              .withMountPath(AppSettings.MODEL_DIR)
              .withReadOnly(true)
              .build());
    }
    ProbesSpec probes = Optional.ofNullable(spec.getProbes()).orElseGet(ProbesSpec::new);
    return new ContainerBuilder()
        .withName(ResourceNaming.CONTAINER_NAME)
        .withImage(spec.getImage())
        .withImagePullPolicy(
            spec.getImagePullPolicy() == null ? null : spec.getImagePullPolicy().name())
        .addNewPort()
        .withName(PORT_NAME)
        .withContainerPort(EffectiveSpec.port(is))
        .withProtocol("TCP")
        .endPort()
        .addNewEnvFrom()
        .withNewConfigMapRef()
        .withName(ResourceNaming.configMapName(is))
        .endConfigMapRef()
        .endEnvFrom()
        .withEnv(env(is))
        .withResources(resources(spec))
        .withReadinessProbe(probe(probes.getReadiness(), "/ready", 0, 5))
        .withLivenessProbe(probe(probes.getLiveness(), "/health", 10, 10))
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .withVolumeMounts(mounts)
        .build();
  }

  /**
   * The start-delay and crash settings as literal values (they also reach the app through the
   * ConfigMap), so the pod spec itself says when the container becomes ready or fails: visible in
   * kubectl describe, and read by the simulated kubelet of the local test cluster. Extra env
   * entries from the spec follow and win on a name clash (duplicate names would be rejected).
   */
  static List<EnvVar> env(InferenceService is) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    AppSettings.lifecycle(is)
        .forEach((name, value) -> byName.put(name, new EnvVar(name, value, null)));
    Optional.ofNullable(EffectiveSpec.spec(is).getEnv())
        .orElse(List.of())
        .forEach(e -> byName.put(e.getName(), new EnvVarBuilder(e).build()));
    // Never null: an empty list is left out of the JSON, and JOSDK's matcher expects a list.
    return new ArrayList<>(byName.values());
  }

  static ResourceRequirements resources(InferenceServiceSpec spec) {
    ResourceRequirements resources = spec.getResources();
    boolean unset =
        resources == null
            || (isEmpty(resources.getRequests())
                && isEmpty(resources.getLimits())
                && isEmpty(resources.getClaims()));
    return new ResourceRequirementsBuilder(unset ? DEFAULT_RESOURCES : resources).build();
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }

  static Probe probe(ProbeSpec spec, String defaultPath, int defaultDelay, int defaultPeriod) {
    ProbeSpec p = Optional.ofNullable(spec).orElseGet(ProbeSpec::new);
    int delay = Optional.ofNullable(p.getInitialDelaySeconds()).orElse(defaultDelay);
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(Optional.ofNullable(p.getPath()).orElse(defaultPath))
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        // The API server drops a zero initialDelaySeconds; sending it would look like drift.
        .withInitialDelaySeconds(delay == 0 ? null : delay)
        .withPeriodSeconds(Optional.ofNullable(p.getPeriodSeconds()).orElse(defaultPeriod))
        .withTimeoutSeconds(Optional.ofNullable(p.getTimeoutSeconds()).orElse(1))
        .withFailureThreshold(Optional.ofNullable(p.getFailureThreshold()).orElse(3))
        .build();
  }
}
