package dev.inferops.operator.testsupport;

import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository the tests read: the one committed CRD, examples, the chart. */
public final class Repository {

  private Repository() {}

  /**
   * The repository root: {@code -Dinferops.repo.root} (set by the build), else the nearest folder
   * above the working directory that holds crds/ (Surefire and IDEs run in operator/).
   */
  public static Path root() {
    String root = System.getProperty("inferops.repo.root");
    Path path =
        root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath().normalize();
    while (path != null && !Files.isDirectory(path.resolve("crds"))) {
      path = path.getParent();
    }
    if (path == null) {
      throw new IllegalStateException("Cannot find the repository root (a folder with crds/)");
    }
    return path.toAbsolutePath().normalize();
  }

  public static Path resolve(String relative) {
    return root().resolve(relative);
  }

  /** The committed CRD, the only CRD file the tests install or compare against. */
  public static Path crdFile() {
    return resolve("crds/" + InferenceServiceConstants.CRD_NAME + "-v1.yml");
  }
}
