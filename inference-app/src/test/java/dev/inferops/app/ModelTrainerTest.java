package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.inferops.app.model.Feature;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.training.ModelTrainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelTrainerTest {
  @TempDir Path dir;

  @Test
  void rocAucCountsTiesAsHalf() {
    assertThat(ModelTrainer.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}))
        .isCloseTo(0.75, within(1e-12));
    assertThat(ModelTrainer.rocAuc(new double[] {0.5, 0.5}, new int[] {0, 1}))
        .isCloseTo(0.5, within(1e-12));
    assertThat(ModelTrainer.rocAuc(new double[] {0.2, 0.9}, new int[] {0, 1})).isEqualTo(1.0);
  }

  @Test
  void learnsASeparableSyntheticProblemDeterministically() {
    // Label depends on thalach and oldpeak only; the rest is noise.
    Random random = new Random(7);
    int n = 400;
    double[][] x = new double[n][Feature.COUNT];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (Feature f : Feature.ALL) {
        double v = f.min() + random.nextDouble() * (f.max() - f.min());
        x[i][f.ordinal()] = f.categorical() ? Math.rint(v) : v;
      }
      double signal =
          (x[i][Feature.THALACH.ordinal()] - 150) / 50 - x[i][Feature.OLDPEAK.ordinal()] / 5 + 1;
      y[i] = signal > 0 ? 1 : 0;
    }
    var data = new ModelTrainer.Dataset(x, y);
    var first = ModelTrainer.train(data, ModelTrainer.Options.defaults(), "synthetic");
    var second = ModelTrainer.train(data, ModelTrainer.Options.defaults(), "synthetic");
    assertThat(first.accuracy()).isGreaterThan(0.9);
    assertThat(first.rocAuc()).isGreaterThan(0.95);
    assertThat(first.model().weights()).containsExactly(second.model().weights());
    assertThat(first.model().heldOut().testRows()).isEqualTo(80);
    assertThat(first.model().heldOut().trainRows()).isEqualTo(320);
  }

  @Test
  void readsCsvWithByteOrderMarkAndAnyColumnOrder() throws Exception {
    String header = "\uFEFFtarget," + String.join(",", Feature.names());
    Path csv =
        Fixtures.write(
            dir,
            "d.csv",
            header
                + "\n1,63,1,3,145,233,1,0,150,0,2.3,0,0,1\n\n0,37,1,2,130,250,0,1,187,0,3.5,0,0,2\n");
    var d = ModelTrainer.readCsv(csv);
    assertThat(d.size()).isEqualTo(2);
    assertThat(d.x()[0]).containsExactly(Fixtures.patientRow());
    assertThat(d.y()).containsExactly(1, 0);
  }

  @Test
  void badCsvIsAClearError() throws Exception {
    Path noTarget = Fixtures.write(dir, "a.csv", String.join(",", Feature.names()) + "\n");
    assertThatThrownBy(() -> ModelTrainer.readCsv(noTarget))
        .hasMessageContaining("no 'target' column");
    String header = String.join(",", Feature.names()) + ",target\n";
    Path badCell = Fixtures.write(dir, "b.csv", header + "63,1,3,145,x,1,0,150,0,2.3,0,0,1,1\n");
    assertThatThrownBy(() -> ModelTrainer.readCsv(badCell))
        .hasMessageContaining("line 2: not a number: 'x'");
    Path badLabel = Fixtures.write(dir, "c.csv", header + "63,1,3,145,233,1,0,150,0,2.3,0,0,1,2\n");
    assertThatThrownBy(() -> ModelTrainer.readCsv(badLabel))
        .hasMessageContaining("target must be 0 or 1");
  }

  @Test
  void trainsOnHeartCsvToAtLeast80PercentHeldOutAccuracy() throws Exception {
    Path csv = Fixtures.heartCsv();
    assumeTrue(
        csv != null,
        "skipped: heart.csv not found at ../../shared/data/heart.csv (from inference-app) and"
            + " HEART_CSV is not set; the data set stays out of the repository");
    Path out = dir.resolve("model.json");
    var stdout = new ByteArrayOutputStream();
    var stderr = new ByteArrayOutputStream();
    int status =
        InferenceApp.run(
            new String[] {"train", "--data", csv.toString(), "--out", out.toString()},
            new PrintStream(stdout, true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertThat(status).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("accuracy", "ROC AUC");
    LogisticRegressionModel model = LogisticRegressionModel.load(out);
    assertThat(model.file().heldOut().accuracy()).isGreaterThanOrEqualTo(0.80);
    assertThat(model.file().heldOut().rocAuc()).isGreaterThanOrEqualTo(0.85);
    assertThat(model.file().heldOut().testRows()).isEqualTo(61);
    // The bundled model is this very training run; retraining must reproduce it.
    assertThat(model.file().weights())
        .containsExactly(LogisticRegressionModel.loadBundled().file().weights());
    assertThat(Files.size(out)).isLessThan(4096);
  }

  @Test
  void trainCommandRejectsMissingOptions() {
    var stderr = new ByteArrayOutputStream();
    int status =
        InferenceApp.run(
            new String[] {"train", "--data"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--data needs a value", "Usage:");
  }
}
