package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ModelStatus;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the model file of {@code spec.model} comes from, and what that makes of the pods: the
 * volume named {@value #VOLUME} the app container mounts read-only at {@link
 * AppSettings#MODEL_DIR}, the file's path there (MODEL_PATH), and how the status names it. The app
 * serves a file ending in .onnx through ONNX Runtime and any other as a heart model JSON.
 */
public sealed interface ModelSource {

  /** The pod's volume that holds the model file. */
  String VOLUME = "model";

  /** The init container that downloads a URL's model into {@link #VOLUME}. */
  String DOWNLOAD_CONTAINER = "model-download";

  String ONNX_FILE = "model.onnx";

  /** The source of the spec; empty without spec.model, the app then serves its built-in model. */
  static Optional<ModelSource> of(InferenceService is) {
    return EffectiveSpec.model(is).flatMap(ModelSource::of);
  }

  private static Optional<ModelSource> of(ModelSpec model) {
    // Admission lets exactly one through; a ConfigMap first, as before there were others.
    if (model.getConfigMapName() != null) {
      return Optional.of(
          new FromConfigMap(model.getConfigMapName(), EffectiveSpec.modelKey(model)));
    }
    if (model.getPvc() != null) {
      return Optional.of(new FromClaim(model.getPvc().getClaimName(), model.getPvc().getPath()));
    }
    if (model.getUrl() != null) {
      return Optional.of(new FromUrl(model.getUrl().getUrl(), model.getUrl().getSha256()));
    }
    return Optional.empty();
  }

  /** MODEL_PATH: the model file as the app container sees it. */
  String path();

  /** The volume {@value #VOLUME} that holds the model file. */
  Volume volume();

  /**
   * The source in a few words, for the status: e.g. {@code configMap heart-model key model.onnx}.
   */
  String describe();

  /**
   * Whether the app serves the file through ONNX Runtime (by its extension, as the app decides).
   */
  default boolean onnx() {
    return path().endsWith(".onnx");
  }

  /**
   * What the status says of the model; {@code configMap} is the model ConfigMap as the informer
   * shows it, for the digest of its content.
   */
  ModelStatus status(Optional<ConfigMap> configMap);

  /** A key of a ConfigMap: mounted as model.onnx when the key ends in .onnx, else model.json. */
  record FromConfigMap(String name, String key) implements ModelSource {

    /** The file name in the volume; model.json keeps the mount of models from before ONNX. */
    public String file() {
      return key.endsWith(".onnx") ? ONNX_FILE : AppSettings.MODEL_FILE;
    }

    @Override
    public String path() {
      return AppSettings.MODEL_DIR + "/" + file();
    }

    @Override
    public Volume volume() {
      return new VolumeBuilder()
          .withName(VOLUME)
          .withNewConfigMap()
          .withName(name)
          .addNewItem()
          .withKey(key)
          .withPath(file())
          .endItem()
          .endConfigMap()
          .build();
    }

    @Override
    public String describe() {
      return "configMap " + name + " key " + key;
    }

    @Override
    public ModelStatus status(Optional<ConfigMap> configMap) {
      return new ModelStatus(
          describe(), ModelConfigMap.digest(configMap, key).orElse(null), path());
    }
  }

  /**
   * A file in a PersistentVolumeClaim. The whole claim is mounted read-only, rather than the file
   * through subPath: a missing file is then the app's own one-line error naming it, where a subPath
   * the kubelet cannot find would be created as a directory in a writable claim.
   */
  record FromClaim(String claimName, String file) implements ModelSource {

    @Override
    public String path() {
      return AppSettings.MODEL_DIR + "/" + file;
    }

    @Override
    public Volume volume() {
      return new VolumeBuilder()
          .withName(VOLUME)
          .withNewPersistentVolumeClaim()
          .withClaimName(claimName)
          .withReadOnly(true)
          .endPersistentVolumeClaim()
          .build();
    }

    @Override
    public String describe() {
      return "pvc " + claimName + "/" + file;
    }

    @Override
    public ModelStatus status(Optional<ConfigMap> configMap) {
      return new ModelStatus(describe(), null, path());
    }
  }

  /**
   * A file downloaded at pod start by the init container {@value #DOWNLOAD_CONTAINER} into an
   * emptyDir: the app image's download mode, which writes the file atomically or exits 1 with one
   * line naming the URL and the cause.
   */
  record FromUrl(String url, String sha256) implements ModelSource {

    /** model.json when the URL's path ends in .json, else model.onnx. */
    public String file() {
      String path = url;
      for (char end : new char[] {'?', '#'}) {
        int at = path.indexOf(end);
        path = at < 0 ? path : path.substring(0, at);
      }
      return path.toLowerCase(Locale.ROOT).endsWith(".json") ? AppSettings.MODEL_FILE : ONNX_FILE;
    }

    @Override
    public String path() {
      return AppSettings.MODEL_DIR + "/" + file();
    }

    @Override
    public Volume volume() {
      return new VolumeBuilder().withName(VOLUME).withNewEmptyDir().endEmptyDir().build();
    }

    /** The arguments of the app image's download mode. */
    public List<String> downloadArgs() {
      List<String> args = new ArrayList<>(List.of("download", "--url", url));
      if (sha256 != null) {
        args.addAll(List.of("--sha256", sha256));
      }
      args.addAll(List.of("--out", path()));
      return args;
    }

    @Override
    public String describe() {
      return "url " + url;
    }

    @Override
    public ModelStatus status(Optional<ConfigMap> configMap) {
      return new ModelStatus(describe(), sha256 == null ? null : "sha256:" + sha256, path());
    }
  }
}
