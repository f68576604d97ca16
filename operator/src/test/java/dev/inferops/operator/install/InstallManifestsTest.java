package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The copies the chart and deploy/ keep are current: the committed CRD, the app's bundled model and
 * the chart's rendering. {@link GeneratedFiles} writes them; this test only compares.
 */
class InstallManifestsTest {

  @Test
  void chartCarriesTheGeneratedCrd() {
    assertCurrent(GeneratedFiles.chartCrd());
  }

  @Test
  void chartModelIsTheAppsBundledModel() {
    assertCurrent(GeneratedFiles.chartModel());
  }

  @Test
  void committedInstallManifestsAreTheChartsRendering() {
    assertCurrent(GeneratedFiles.installManifests());
  }

  private static void assertCurrent(Map.Entry<Path, String> generated) {
    Path file = generated.getKey();
    assertThat(file).as("%s is missing: %s", file, GeneratedFiles.HOW_TO_FIX).exists();
    assertThat(read(file))
        .as("%s is stale: %s", file, GeneratedFiles.HOW_TO_FIX)
        .isEqualTo(generated.getValue());
  }
}
