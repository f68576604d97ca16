package dev.inferops.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.model.Model;
import dev.inferops.app.settings.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Shared test data: a valid patient and helpers to build request bodies. */
public final class Fixtures {
  private Fixtures() {}

  /** The first row of heart.csv (label 1). */
  public static ObjectNode patient() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("age", 63);
    n.put("sex", 1);
    n.put("cp", 3);
    n.put("trestbps", 145);
    n.put("chol", 233);
    n.put("fbs", 1);
    n.put("restecg", 0);
    n.put("thalach", 150);
    n.put("exang", 0);
    n.put("oldpeak", 2.3);
    n.put("slope", 0);
    n.put("ca", 0);
    n.put("thal", 1);
    return n;
  }

  public static double[] patientRow() {
    return new double[] {63, 1, 3, 145, 233, 1, 0, 150, 0, 2.3, 0, 0, 1};
  }

  public static String instances(ObjectNode... items) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    var array = root.putArray("instances");
    for (ObjectNode item : items) {
      array.add(item);
    }
    return root.toString();
  }

  /** heart.csv from env HEART_CSV or ../../shared/data/heart.csv seen from this module, or null. */
  public static Path heartCsv() {
    String fromEnv = System.getenv("HEART_CSV");
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path p = Path.of(fromEnv);
      return Files.isRegularFile(p) ? p : null;
    }
    Path p = Path.of("..", "..", "shared", "data", "heart.csv").toAbsolutePath().normalize();
    return Files.isRegularFile(p) ? p : null;
  }

  /**
   * An in-process server of {@code model} with {@link #settings}; a call to exit fails the test, as
   * nothing here should make the app quit.
   */
  public static InferenceServer startServer(Map<String, String> env, Model model)
      throws java.io.IOException {
    return InferenceServer.start(
        settings(env),
        model,
        status -> {
          throw new AssertionError("exit " + status);
        });
  }

  /** As {@link #startServer(Map, Model)}, with the bundled model. */
  public static InferenceServer startServer(Map<String, String> env) throws java.io.IOException {
    return startServer(env, LogisticRegressionModel.loadBundled());
  }

  /** Settings for an in-process server on an ephemeral loopback port. */
  public static Settings settings(Map<String, String> extra) {
    var env = new java.util.HashMap<String, String>();
    env.put("PORT", "0");
    env.put("BIND_ADDRESS", "127.0.0.1");
    env.put("SHUTDOWN_GRACE_SECONDS", "0");
    env.putAll(extra);
    return Settings.fromEnv(env);
  }

  public static Path write(Path dir, String name, String content) throws java.io.IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
