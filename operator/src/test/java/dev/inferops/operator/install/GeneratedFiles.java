package dev.inferops.operator.install;

import dev.inferops.operator.testsupport.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every committed file derived from another one, and the generator that writes them: {@code make
 * generate} runs {@link #main} after the build has copied the CRD generated from the Java model
 * into crds/. {@link InstallManifestsTest} only compares.
 *
 * <p>It lives with the tests because Helm comes from the helm-java test dependency (a native Helm
 * from Maven Central), so no helm binary is needed.
 */
public final class GeneratedFiles {

  static final String HOW_TO_FIX = "run make generate and commit the result";

  private GeneratedFiles() {}

  /** The chart's copy of the committed CRD. */
  static Map.Entry<Path, String> chartCrd() {
    return Map.entry(ChartRenderer.chartCrd(), ChartRenderer.read(Repository.crdFile()));
  }

  /** The chart's default model, the app's bundled one. */
  static Map.Entry<Path, String> chartModel() {
    return Map.entry(ChartRenderer.chartModel(), ChartRenderer.read(ChartRenderer.appModel()));
  }

  /** deploy/inference-operator.yaml, the chart rendered for kubectl. */
  static Map.Entry<Path, String> installManifests() {
    return Map.entry(ChartRenderer.installManifestsFile(), ChartRenderer.installManifests());
  }

  /** Each generated file with the content it should have. */
  static Map<Path, String> expected() {
    Map<Path, String> files = new LinkedHashMap<>();
    for (var file : java.util.List.of(chartCrd(), chartModel(), installManifests())) {
      files.put(file.getKey(), file.getValue());
    }
    return files;
  }

  /** Writes every generated file that differs and names it. */
  public static void main(String[] args) throws IOException {
    for (Map.Entry<Path, String> file : expected().entrySet()) {
      Path path = file.getKey();
      if (Files.exists(path) && Files.readString(path).equals(file.getValue())) {
        continue;
      }
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
      System.out.println("generated " + Repository.root().relativize(path));
    }
  }
}
