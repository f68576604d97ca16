package dev.inferops.app.model.onnx;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** The name and version an ONNX model is served under, from its metadata or its file. */
final class OnnxNames {
  // The name appears in KServe URLs (/v1/models/NAME), so it must be path-safe.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

  private OnnxNames() {}

  /** The graph's name when it is path-safe, else the file's name without {@code .onnx}. */
  static String name(String graphName, String source) {
    if (graphName != null && NAME.matcher(graphName).matches()) {
      return graphName;
    }
    String file = Path.of(source).getFileName().toString().replaceFirst("\\.onnx$", "");
    String cleaned = file.replaceAll("[^A-Za-z0-9._-]", "-").replaceFirst("^[^A-Za-z0-9]+", "");
    return cleaned.isEmpty() ? "model" : cleaned.substring(0, Math.min(63, cleaned.length()));
  }

  /**
   * The {@code model_version} metadata the exporter wrote when it is plain, else the first 12 hex
   * digits of the file's SHA-256, so two different files never share a version.
   */
  static String version(String declared, String sha256) {
    return declared != null && PLAIN.matcher(declared).matches()
        ? declared
        : sha256.substring(0, 12);
  }

  static boolean isPlain(String s) {
    return PLAIN.matcher(s).matches();
  }
}
