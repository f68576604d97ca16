package dev.inferops.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.inferops.app.Fixtures;
import dev.inferops.app.json.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogisticRegressionModelTest {
  @TempDir Path dir;

  private static double[] zeros() {
    return new double[Feature.COUNT];
  }

  private static double[] ones() {
    double[] a = new double[Feature.COUNT];
    java.util.Arrays.fill(a, 1);
    return a;
  }

  @Test
  void scoresAKnownVectorWithStandardisation() {
    double[] means = zeros();
    double[] scales = ones();
    double[] weights = zeros();
    means[Feature.AGE.ordinal()] = 50;
    scales[Feature.AGE.ordinal()] = 10;
    weights[Feature.AGE.ordinal()] = 2;
    weights[Feature.OLDPEAK.ordinal()] = -0.5;
    LogisticRegressionModel model =
        LogisticRegressionModel.fromFile(
            new ModelFile("m", "1", Feature.names(), means, scales, weights, 0.25, null), "test");
    double[] x = zeros();
    x[Feature.AGE.ordinal()] = 60;
    x[Feature.OLDPEAK.ordinal()] = 1.5;
    // z = 2 * (60 - 50) / 10 - 0.5 * 1.5 + 0.25 = 1.5
    assertThat(model.probability(x)).isCloseTo(1 / (1 + Math.exp(-1.5)), within(1e-12));
    assertThat(LogisticRegressionModel.label(model.probability(x))).isEqualTo(1);
  }

  @Test
  void honoursFeatureOrderOfTheFile() {
    List<String> reversed = new java.util.ArrayList<>(Feature.names());
    java.util.Collections.reverse(reversed);
    double[] weights = zeros();
    weights[0] = 1; // 'thal' comes first in the reversed file
    LogisticRegressionModel model =
        LogisticRegressionModel.fromFile(
            new ModelFile("m", "1", reversed, zeros(), ones(), weights, 0.0, null), "test");
    double[] x = zeros();
    x[Feature.THAL.ordinal()] = 2;
    assertThat(model.probability(x)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-12));
  }

  @Test
  void sigmoidIsStableForLargeInputs() {
    assertThat(LogisticRegressionModel.sigmoid(1000)).isEqualTo(1.0);
    assertThat(LogisticRegressionModel.sigmoid(-1000)).isEqualTo(0.0);
    assertThat(LogisticRegressionModel.sigmoid(0)).isEqualTo(0.5);
  }

  @Test
  void bundledModelLoadsAndPredictsTheFirstCsvRowAsPositive() {
    LogisticRegressionModel model = LogisticRegressionModel.loadBundled();
    assertThat(model.name()).isEqualTo("heart");
    assertThat(model.version()).isNotBlank();
    assertThat(model.file().features()).containsExactlyElementsOf(Feature.names());
    double p = model.probability(Fixtures.patientRow());
    assertThat(p).isBetween(0.5, 1.0);
    // Matches scoring straight from the file, i.e. the folded weights are right.
    ModelFile f = model.file();
    double z = f.bias();
    for (int i = 0; i < Feature.COUNT; i++) {
      z += f.weights()[i] * (Fixtures.patientRow()[i] - f.means()[i]) / f.scales()[i];
    }
    assertThat(p).isCloseTo(1 / (1 + Math.exp(-z)), within(1e-12));
  }

  @Test
  void loadsAModelFileFromDisk() throws Exception {
    String json = Json.MAPPER.writeValueAsString(LogisticRegressionModel.loadBundled().file());
    Path file = Fixtures.write(dir, "model.json", json.replace("\"heart\"", "\"other-model\""));
    LogisticRegressionModel model = LogisticRegressionModel.load(file);
    assertThat(model.name()).isEqualTo("other-model");
    assertThat(model.source()).isEqualTo(file.toString());
  }

  @Test
  void missingFileIsAClearError() {
    assertThatThrownBy(() -> LogisticRegressionModel.load(dir.resolve("nope.json")))
        .isInstanceOf(Model.ModelException.class)
        .hasMessageContaining("nope.json")
        .hasMessageContaining("does not exist");
  }

  @Test
  void malformedJsonIsAClearError() throws Exception {
    Path file = Fixtures.write(dir, "bad.json", "{\"name\": \"heart\",");
    assertThatThrownBy(() -> LogisticRegressionModel.load(file))
        .isInstanceOf(Model.ModelException.class)
        .hasMessageContaining("bad.json")
        .hasMessageContaining("not a valid model file");
  }

  @Test
  void badModelContentsAreClearErrors() throws Exception {
    String good = Json.MAPPER.writeValueAsString(LogisticRegressionModel.loadBundled().file());
    var tree = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(good);

    assertBad(tree.deepCopy().put("name", "has/slash"), "'name' must match");
    assertBad(withoutField(tree, "weights"), "'weights' is missing");
    assertBad(withoutField(tree, "bias"), "'bias' must be a finite number");
    assertBad(withoutField(tree, "version"), "'version' is missing");

    var shortWeights = tree.deepCopy();
    shortWeights.putArray("weights").add(1.0).add(2.0);
    assertBad(shortWeights, "'weights' has 2 values but there are 13 features");

    var zeroScale = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) zeroScale.get("scales")).set(3, 0.0);
    assertBad(zeroScale, "'scales[3]' must be a finite positive number");

    var unknownFeature = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) unknownFeature.get("features"))
        .set(0, "height");
    assertBad(unknownFeature, "unknown feature 'height'");

    var stringWeight = tree.deepCopy();
    ((com.fasterxml.jackson.databind.node.ArrayNode) stringWeight.get("weights")).set(0, "1.0");
    assertBad(stringWeight, "not a valid model file");

    assertBad(tree.deepCopy().put("extra", 1), "not a valid model file");
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode withoutField(
      com.fasterxml.jackson.databind.node.ObjectNode tree, String field) {
    var copy = tree.deepCopy();
    copy.remove(field);
    return copy;
  }

  private void assertBad(Object tree, String message) throws Exception {
    Path file = Fixtures.write(dir, "m.json", tree.toString());
    assertThatThrownBy(() -> LogisticRegressionModel.load(file))
        .isInstanceOf(Model.ModelException.class)
        .hasMessageContaining(message);
  }
}
