package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.AppSpec;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.spec.EffectiveSpec;
import java.util.Map;
import java.util.TreeMap;

/** The app's environment settings derived from the spec, as stored in the settings ConfigMap. */
public final class AppSettings {

  public static final String PORT = "PORT";
  public static final String START_DELAY_SECONDS = "START_DELAY_SECONDS";
  public static final String CRASH_AFTER_SECONDS = "CRASH_AFTER_SECONDS";
  public static final String CRASH_MODE = "CRASH_MODE";
  public static final String MODEL_PATH = "MODEL_PATH";

  /** Where the app container mounts the model's volume, read-only. */
  public static final String MODEL_DIR = "/models";

  /** The file name of a heart model JSON in that volume (an ONNX model's is model.onnx). */
  public static final String MODEL_FILE = "model.json";

  private AppSettings() {}

  /** All settings, sorted by name so the ConfigMap and its hash are stable. */
  public static Map<String, String> all(InferenceService is) {
    Map<String, String> settings = new TreeMap<>(lifecycle(is));
    settings.put(PORT, Integer.toString(EffectiveSpec.port(is)));
    ModelSource.of(is).ifPresent(model -> settings.put(MODEL_PATH, model.path()));
    return settings;
  }

  /** The start-delay and crash settings; only those that are set. */
  public static Map<String, String> lifecycle(InferenceService is) {
    AppSpec app = EffectiveSpec.app(is);
    Map<String, String> settings = new TreeMap<>();
    if (app.getStartDelaySeconds() != null) {
      settings.put(START_DELAY_SECONDS, app.getStartDelaySeconds().toString());
    }
    if (app.getCrashAfterSeconds() != null) {
      settings.put(CRASH_AFTER_SECONDS, app.getCrashAfterSeconds().toString());
    }
    if (app.getCrashMode() != null) {
      settings.put(CRASH_MODE, app.getCrashMode().value());
    }
    return settings;
  }
}
