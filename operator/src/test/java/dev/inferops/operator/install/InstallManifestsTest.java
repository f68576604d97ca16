package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The copies the chart and deploy/ keep are current: the CRD generated from the Java model, the
 * app's bundled model and the chart's rendering. With {@code -Dinferops.manifests.update=true}
 * (what {@code make deploy-manifests} runs) the test refreshes them instead of failing.
 */
class InstallManifestsTest {

  private static final String HOW_TO_FIX = "run make deploy-manifests and commit the result";
  private static final boolean UPDATE = Boolean.getBoolean("inferops.manifests.update");

  @Test
  void chartCarriesTheGeneratedCrd() {
    syncOrCompare(ChartRenderer.generatedCrd(), ChartRenderer.chartCrd());
  }

  @Test
  void chartModelIsTheAppsBundledModel() {
    syncOrCompare(ChartRenderer.appModel(), ChartRenderer.chartModel());
  }

  @Test
  void committedInstallManifestsAreTheChartsRendering() {
    if (UPDATE) {
      // The rendering embeds the chart's CRD: refresh that first.
      syncOrCompare(ChartRenderer.generatedCrd(), ChartRenderer.chartCrd());
      ChartRenderer.write(ChartRenderer.installManifestsFile(), ChartRenderer.installManifests());
    }
    Path committed = ChartRenderer.installManifestsFile();
    assertThat(committed).as("%s is missing: %s", committed, HOW_TO_FIX).exists();
    assertThat(read(committed))
        .as("%s differs from the chart's rendering: %s", committed, HOW_TO_FIX)
        .isEqualTo(ChartRenderer.installManifests());
  }

  private static void syncOrCompare(Path source, Path copy) {
    if (UPDATE) {
      ChartRenderer.write(copy, read(source));
    }
    assertThat(copy).as("%s is missing: %s", copy, HOW_TO_FIX).exists();
    assertThat(read(copy))
        .as("%s differs from %s: %s", copy, source, HOW_TO_FIX)
        .isEqualTo(read(source));
  }
}
