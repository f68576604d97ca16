package dev.inferops.app.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inferops.app.model.Model.ModelException;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.Scores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The ONNX runtime: equal to the training framework, and one clear line for what it refuses. */
class OnnxModelTest {
  private static final int MAX_MB = 512;

  static String[] classifiers() {
    return Oracle.CLASSIFIERS;
  }

  @ParameterizedTest
  @MethodSource("classifiers")
  void classifierEqualsItsFrameworkOnEveryRow(String name) {
    Oracle oracle = Oracle.of(name);
    OnnxModel model = OnnxModel.load(oracle.file(), MAX_MB);

    Scores scores = model.predict(oracle.inputs());

    ModelDescription d = model.description();
    assertThat(d.labelOutput()).isEqualTo(0);
    assertThat(d.outputs().get(0).name()).isEqualTo("label");
    assertThat(d.outputs().get(1).name()).isEqualTo("probabilities");
    assertThat(d.outputs().get(1).shape()).containsExactly(-1, 2);
    long[] labels = (long[]) scores.outputs().get(0);
    float[] probabilities = (float[]) scores.outputs().get(1);
    assertThat(labels).containsExactly(oracle.labels());
    for (int r = 0; r < oracle.inputs().length; r++) {
      for (int c = 0; c < 2; c++) {
        assertThat((double) probabilities[2 * r + c])
            .as("%s row %d class %d", name, r, c)
            .isCloseTo(oracle.probabilities()[r][c], within(Oracle.TOLERANCE));
      }
    }
  }

  @Test
  void regressorEqualsItsFrameworkOnEveryRow() {
    Oracle oracle = Oracle.of(Oracle.REGRESSOR);
    OnnxModel model = OnnxModel.load(oracle.file(), MAX_MB);

    Scores scores = model.predict(oracle.inputs());

    assertThat(model.description().labelOutput()).isEqualTo(-1);
    assertThat(model.description().outputs()).hasSize(1);
    assertThat(model.description().width()).isEqualTo(12);
    float[] values = (float[]) scores.outputs().get(0);
    assertThat(values).hasSize(oracle.values().length);
    for (int r = 0; r < values.length; r++) {
      assertThat((double) values[r]).as("row %d", r).isCloseTo(oracle.values()[r], within(1e-5));
    }
  }

  @Test
  void theDescriptionComesFromTheGraphAndItsMetadata() {
    OnnxModel model = OnnxModel.load(Oracle.file("heart-forest.onnx"), MAX_MB);

    ModelDescription d = model.description();
    assertThat(model.name()).isEqualTo("heart-forest");
    assertThat(model.version()).isEqualTo("1");
    assertThat(d.platform()).isEqualTo("onnxruntime_onnx");
    assertThat(d.input().name()).isEqualTo("input");
    assertThat(d.input().datatype()).isEqualTo("FP32");
    assertThat(d.input().shape()).containsExactly(-1, 13);
    assertThat(d.columnNames())
        .containsExactly(
            "age",
            "sex",
            "cp",
            "trestbps",
            "chol",
            "fbs",
            "restecg",
            "thalach",
            "exang",
            "oldpeak",
            "slope",
            "ca",
            "thal");
    assertThat(d.outputs().get(0).datatype()).isEqualTo("INT64");
    assertThat(d.outputs().get(0).shape()).containsExactly(-1);
    assertThat(d.outputs().get(1).datatype()).isEqualTo("FP32");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "zipmap.onnx         | is a sequence of maps, not a tensor; export classifiers with zipmap=False",
        "opset-too-new.onnx  | uses opset 99, newer than this ONNX Runtime supports; export with an older target_opset",
        "sequence-input.onnx | input 'input' is a sequence, not a tensor; export it with one [N, features] tensor input",
        "map-input.onnx      | input 'input' is a map, not a tensor",
        "no-outputs.onnx     | has no outputs",
        "string-input.onnx   | input 'input' holds STRING; only FLOAT or DOUBLE inputs",
        "dynamic-rank.onnx   | input 'input' has shape []; it must be [N, features]",
        "two-inputs.onnx     | has 2 inputs",
      })
  void anUnservableModelIsRefusedWithOneLineNamingTheFileAndTheFix(String file, String why) {
    Path path = Oracle.file("hostile/" + file);

    assertThatThrownBy(() -> OnnxModel.load(path, MAX_MB))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith("ONNX model " + path + ": ")
        .hasMessageContaining(why)
        .message()
        .doesNotContain("\n")
        .doesNotContain("onnxruntime_src");
  }

  @Test
  void corruptBytesAreNotAModel(@TempDir Path dir) throws Exception {
    byte[] forest = Files.readAllBytes(Oracle.file("heart-forest.onnx"));
    byte[] noise = new byte[4096];
    new Random(7).nextBytes(noise);
    Path truncated = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(forest, 700));
    Path random = Files.write(dir.resolve("noise.onnx"), noise);

    for (Path p : new Path[] {truncated, random}) {
      assertThatThrownBy(() -> OnnxModel.load(p, MAX_MB))
          .isInstanceOf(ModelException.class)
          .hasMessageStartingWith("ONNX model " + p + ": ")
          .message()
          .doesNotContain("\n");
    }
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path huge = dir.resolve("huge.onnx");
    Files.write(huge, new byte[(1 << 20) + 1]);

    assertThatThrownBy(() -> OnnxModel.load(huge, 1))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "ONNX model "
                + huge
                + ": is 1048577 bytes, more than MODEL_MAX_MB (1 MiB); raise the limit if the pod"
                + " has the memory for it");
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("missing.onnx");

    assertThatThrownBy(() -> OnnxModel.load(missing, MAX_MB))
        .isInstanceOf(ModelException.class)
        .hasMessage("model file " + missing + " does not exist");
  }
}
