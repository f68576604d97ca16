package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ProbeSpec;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.spec.EffectiveSpec;
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
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
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
 * InferenceService, the workload kind and the hash of the model's content. A model from a URL adds
 * the init container that downloads it.
 */
public final class PodTemplates {

  public static final long RUN_AS_ID = 10001L;
  public static final String PORT_NAME = "http";

  /** A container's last log lines become its termination message when it fails without one. */
  static final String TERMINATION_MESSAGE_POLICY = "FallbackToLogsOnError";

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

  /** Requests and limits of the download init container: a JVM streaming a file to disk. */
  static final ResourceRequirements DOWNLOAD_RESOURCES =
      new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity("50m"))
          .addToRequests("memory", new Quantity("64Mi"))
          .addToLimits("cpu", new Quantity("500m"))
          .addToLimits("memory", new Quantity("256Mi"))
          .build();

  static PodSpec podSpec(InferenceService is) {
    Optional<ModelSource> model = ModelSource.of(is);
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    model.ifPresent(m -> volumes.add(m.volume()));
    if (EffectiveSpec.shadow(is).isPresent()) {
      volumes.add(ShadowFiles.volume(ResourceNaming.shadowConfigMapName(is)));
    }
    PodSpecBuilder spec =
        new PodSpecBuilder()
            .withAutomountServiceAccountToken(false)
            .withNodeSelector(EffectiveSpec.nodeSelector(is))
            .withTolerations(EffectiveSpec.tolerations(is))
            .withAffinity(EffectiveSpec.affinity(is))
            .withTopologySpreadConstraints(
                EffectiveSpec.topologySpreadConstraints(is, ResourceNaming.serviceSelector(is)))
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
            .withVolumes(volumes);
    model
        .filter(ModelSource.FromUrl.class::isInstance)
        .map(ModelSource.FromUrl.class::cast)
        .ifPresent(url -> spec.withInitContainers(downloadContainer(is, url)));
    return spec.build();
  }

  static Container container(InferenceService is) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    if (ModelSource.of(is).isPresent()) {
      mounts.add(
          new VolumeMountBuilder()
              .withName(ModelSource.VOLUME)
              .withMountPath(AppSettings.MODEL_DIR)
              .withReadOnly(true)
              .build());
    }
    if (EffectiveSpec.shadow(is).isPresent()) {
      mounts.add(ShadowFiles.mount());
    }
    return new ContainerBuilder()
        .withName(ResourceNaming.CONTAINER_NAME)
        .withImage(EffectiveSpec.image(is))
        .withImagePullPolicy(EffectiveSpec.imagePullPolicy(is).map(Enum::name).orElse(null))
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
        .withResources(EffectiveSpec.resources(is))
        .withReadinessProbe(probe(EffectiveSpec.readinessProbe(is)))
        .withLivenessProbe(probe(EffectiveSpec.livenessProbe(is)))
        // A container that exits at start (a bad setting, an unservable model) leaves its last log
        // lines in the pod's status, so the InferenceService's status can say why it crash-loops.
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withSecurityContext(containerSecurityContext())
        .withVolumeMounts(mounts)
        .build();
  }

  /**
   * The init container that downloads a URL's model into the model volume: the app's own image in
   * its download mode, with the app container's security context and pull policy, and the spec's
   * extra env (MODEL_MAX_MB, JAVA_TOOL_OPTIONS for a proxy or a trust store). Its one line on
   * failure (the URL and the cause) is its last log line, which the status quotes.
   */
  static Container downloadContainer(InferenceService is, ModelSource.FromUrl url) {
    return new ContainerBuilder()
        .withName(ModelSource.DOWNLOAD_CONTAINER)
        .withImage(EffectiveSpec.image(is))
        .withImagePullPolicy(EffectiveSpec.imagePullPolicy(is).map(Enum::name).orElse(null))
        .withArgs(url.downloadArgs())
        .withEnv(EffectiveSpec.env(is).stream().map(e -> new EnvVarBuilder(e).build()).toList())
        .withResources(new ResourceRequirementsBuilder(DOWNLOAD_RESOURCES).build())
        .withTerminationMessagePolicy(TERMINATION_MESSAGE_POLICY)
        .withSecurityContext(containerSecurityContext())
        .withVolumeMounts(
            new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build(),
            new VolumeMountBuilder()
                .withName(ModelSource.VOLUME)
                .withMountPath(AppSettings.MODEL_DIR)
                .build())
        .build();
  }

  /** The restricted settings of every container. */
  private static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
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
    if (EffectiveSpec.shadow(is).isPresent()) {
      ShadowFiles.env().forEach(e -> byName.put(e.getName(), e));
    }
    EffectiveSpec.env(is).forEach(e -> byName.put(e.getName(), new EnvVarBuilder(e).build()));
    // Never null: an empty list is left out of the JSON, and JOSDK's matcher expects a list.
    return new ArrayList<>(byName.values());
  }

  /** The probe of a spec whose every field is set (see {@link EffectiveSpec}). */
  static Probe probe(ProbeSpec probe) {
    int delay = probe.getInitialDelaySeconds();
    return new ProbeBuilder()
        .withNewHttpGet()
        .withPath(probe.getPath())
        .withPort(new IntOrString(PORT_NAME))
        .endHttpGet()
        // The API server drops a zero initialDelaySeconds; sending it would look like drift.
        .withInitialDelaySeconds(delay == 0 ? null : delay)
        .withPeriodSeconds(probe.getPeriodSeconds())
        .withTimeoutSeconds(probe.getTimeoutSeconds())
        .withFailureThreshold(probe.getFailureThreshold())
        .build();
  }
}
