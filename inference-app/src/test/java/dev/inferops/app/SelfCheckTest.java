package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The self-check the image build runs: both models, every route, nothing left behind. */
class SelfCheckTest {
  private static long copiesInTmp() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("self-check-")).count();
    }
  }

  @Test
  void servesTheBundledAndTheOnnxModelOnEveryRouteAndLeavesNoFile() throws IOException {
    long before = copiesInTmp();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int status =
        InferenceApp.run(
            new String[] {"self-check"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("every route answered as expected, for the bundled and an ONNX model");
    assertThat(copiesInTmp()).isEqualTo(before);
  }

  @Test
  void theOnnxModelItServesIsInTheJar() {
    assertThat(SelfCheck.class.getResource(SelfCheck.ONNX_RESOURCE)).isNotNull();
  }
}
