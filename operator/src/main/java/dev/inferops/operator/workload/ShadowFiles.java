package dev.inferops.operator.workload;

import dev.inferops.operator.naming.ResourceNaming;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * How a blue-green pod with a shadow learns, at run time, where to copy its requests: the shadow
 * ConfigMap is mounted as a directory holding one file per revision, {@code <revision>.json}, and
 * each pod reads the file of its own revision (its revision label, through the downward API). The
 * operator writes only the live revision's file, so the preview's pods, which mount the same
 * ConfigMap, never copy to themselves; the kubelet swaps the files in place, so starting and
 * stopping the shadow restarts nobody.
 */
public final class ShadowFiles {

  public static final String VOLUME = "shadow";
  public static final String DIR = "/etc/inferops/shadow";

  /** The pod's own revision, from its label; the file path below is built from it. */
  static final String REVISION_ENV = "INFEROPS_REVISION";

  static final String FILE_ENV = "SHADOW_CONFIG_FILE";

  private ShadowFiles() {}

  /** The key (file name) of a revision's settings in the shadow ConfigMap. */
  public static String key(String revision) {
    return revision + ".json";
  }

  /** Optional: a pod started before the ConfigMap exists starts with the shadow off. */
  static Volume volume(String configMapName) {
    return new VolumeBuilder()
        .withName(VOLUME)
        .withNewConfigMap()
        .withName(configMapName)
        .withOptional(true)
        .endConfigMap()
        .build();
  }

  static VolumeMount mount() {
    return new VolumeMountBuilder().withName(VOLUME).withMountPath(DIR).withReadOnly(true).build();
  }

  /** The revision first: Kubernetes expands {@code $(NAME)} only from variables defined above. */
  static List<EnvVar> env() {
    return List.of(
        new EnvVarBuilder()
            .withName(REVISION_ENV)
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.labels['" + ResourceNaming.LABEL_REVISION + "']")
            .endFieldRef()
            .endValueFrom()
            .build(),
        new EnvVar(FILE_ENV, DIR + "/$(" + REVISION_ENV + ").json", null));
  }
}
