package dev.inferops.app.training;

import dev.inferops.app.json.Json;
import dev.inferops.app.model.Feature;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.ModelFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains the logistic-regression model by batch gradient descent and scores it on held-out rows.
 */
public final class ModelTrainer {
  public static final String TARGET = "target";

  /** Feature rows in {@link Feature} order with their 0/1 labels. */
  public record Dataset(double[][] x, int[] y) {
    public int size() {
      return y.length;
    }
  }

  /** Training knobs; the defaults produced the bundled model. */
  public record Options(
      String name,
      String version,
      long seed,
      double testFraction,
      int epochs,
      double learningRate,
      double l2) {
    public static Options defaults() {
      return new Options("heart", "1", 42, 0.2, 5000, 0.1, 0.01);
    }
  }

  /** The trained model and its held-out figures. */
  public record Result(ModelFile model, double accuracy, double rocAuc) {}

  private ModelTrainer() {}

  /**
   * CLI: {@code train --data F --out F [--name N] [--version V] [--seed S]}.
   *
   * @param usage the app's usage text, printed for {@code --help} and after a bad option
   */
  public static int run(String[] args, String usage, PrintStream out, PrintStream err) {
    Path data = null;
    Path target = null;
    Options o = Options.defaults();
    try {
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        if (arg.equals("--help") || arg.equals("-h")) {
          out.print(usage);
          return 0;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        String value = args[++i];
        switch (arg) {
          case "--data" -> data = Path.of(value);
          case "--out" -> target = Path.of(value);
          case "--name" ->
              o =
                  new Options(
                      value,
                      o.version(),
                      o.seed(),
                      o.testFraction(),
                      o.epochs(),
                      o.learningRate(),
                      o.l2());
          case "--version" ->
              o =
                  new Options(
                      o.name(),
                      value,
                      o.seed(),
                      o.testFraction(),
                      o.epochs(),
                      o.learningRate(),
                      o.l2());
          case "--seed" ->
              o =
                  new Options(
                      o.name(),
                      o.version(),
                      Long.parseLong(value),
                      o.testFraction(),
                      o.epochs(),
                      o.learningRate(),
                      o.l2());
          default -> throw new IllegalArgumentException("unknown option " + arg);
        }
      }
      if (data == null || target == null) {
        throw new IllegalArgumentException("--data and --out are required");
      }
    } catch (IllegalArgumentException e) {
      err.println("train: " + e.getMessage());
      err.print(usage);
      return 2;
    }
    try {
      Dataset d = readCsv(data);
      Result r = train(d, o, data.getFileName().toString());
      // Refuse to write a model the server would refuse to load.
      LogisticRegressionModel.fromFile(r.model(), target.toString());
      Files.write(
          target, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r.model()));
      ModelFile.Evaluation e = r.model().heldOut();
      out.printf(
          Locale.ROOT,
          "trained '%s' version %s on %d rows; held-out %d rows (stratified, seed %d):"
              + " accuracy %.4f, ROC AUC %.4f%nwrote %s%n",
          o.name(),
          o.version(),
          e.trainRows(),
          e.testRows(),
          e.seed(),
          r.accuracy(),
          r.rocAuc(),
          target);
      return 0;
    } catch (IOException | IllegalArgumentException | Model.ModelException e) {
      err.println("train: " + e.getMessage());
      return 1;
    }
  }

  /** Reads a CSV with a header naming the 13 features and {@code target}; a UTF-8 BOM is fine. */
  public static Dataset readCsv(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty");
    }
    String header = lines.get(0);
    if (header.startsWith("\uFEFF")) {
      header = header.substring(1);
    }
    List<String> columns = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
    int[] featureColumn = new int[Feature.COUNT];
    for (Feature f : Feature.ALL) {
      featureColumn[f.ordinal()] = column(columns, f.jsonName(), file);
    }
    int targetColumn = column(columns, TARGET, file);
    List<double[]> xs = new ArrayList<>();
    List<Integer> ys = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      if (cells.length != columns.size()) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": "
                + cells.length
                + " cells, header has "
                + columns.size());
      }
      double[] row = new double[Feature.COUNT];
      for (int f = 0; f < Feature.COUNT; f++) {
        row[f] = number(cells[featureColumn[f]], file, i + 1);
      }
      double label = number(cells[targetColumn], file, i + 1);
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": target must be 0 or 1, got " + cells[targetColumn]);
      }
      xs.add(row);
      ys.add((int) label);
    }
    if (xs.isEmpty()) {
      throw new IllegalArgumentException(file + " has no data rows");
    }
    return new Dataset(
        xs.toArray(double[][]::new), ys.stream().mapToInt(Integer::intValue).toArray());
  }

  private static int column(List<String> columns, String name, Path file) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(file + " has no '" + name + "' column");
    }
    return i;
  }

  private static double number(String cell, Path file, int line) {
    try {
      double v = Double.parseDouble(cell.trim());
      if (Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // Falls through to the message below.
    }
    throw new IllegalArgumentException(file + " line " + line + ": not a number: '" + cell + "'");
  }

  /** Splits 80/20 per class, fits on the 80 and reports accuracy and ROC AUC on the 20. */
  public static Result train(Dataset data, Options o, String dataName) {
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    Random random = new Random(o.seed());
    for (int label = 0; label <= 1; label++) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        if (data.y()[i] == label) {
          idx.add(i);
        }
      }
      Collections.shuffle(idx, random);
      int nTest = (int) Math.round(idx.size() * o.testFraction());
      test.addAll(idx.subList(0, nTest));
      train.addAll(idx.subList(nTest, idx.size()));
    }
    Collections.sort(train);
    Collections.sort(test);
    if (train.isEmpty() || test.isEmpty()) {
      throw new IllegalArgumentException("too few rows to split into training and held-out sets");
    }

    int d = Feature.COUNT;
    double[] means = new double[d];
    double[] scales = new double[d];
    for (int i : train) {
      for (int j = 0; j < d; j++) {
        means[j] += data.x()[i][j];
      }
    }
    for (int j = 0; j < d; j++) {
      means[j] /= train.size();
    }
    for (int i : train) {
      for (int j = 0; j < d; j++) {
        double diff = data.x()[i][j] - means[j];
        scales[j] += diff * diff;
      }
    }
    for (int j = 0; j < d; j++) {
      double sd = Math.sqrt(scales[j] / train.size());
      // A constant column carries no signal; scale 1 keeps it harmless instead of dividing by 0.
      scales[j] = sd > 1e-12 ? sd : 1.0;
    }

    double[][] z = new double[train.size()][d];
    int[] y = new int[train.size()];
    for (int r = 0; r < train.size(); r++) {
      int i = train.get(r);
      for (int j = 0; j < d; j++) {
        z[r][j] = (data.x()[i][j] - means[j]) / scales[j];
      }
      y[r] = data.y()[i];
    }
    double[] w = new double[d];
    double b = 0;
    double[] grad = new double[d];
    int n = z.length;
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      Arrays.fill(grad, 0);
      double gradB = 0;
      for (int r = 0; r < n; r++) {
        double s = b;
        for (int j = 0; j < d; j++) {
          s += w[j] * z[r][j];
        }
        double err = LogisticRegressionModel.sigmoid(s) - y[r];
        for (int j = 0; j < d; j++) {
          grad[j] += err * z[r][j];
        }
        gradB += err;
      }
      for (int j = 0; j < d; j++) {
        w[j] -= o.learningRate() * (grad[j] / n + o.l2() * w[j]);
      }
      b -= o.learningRate() * gradB / n;
    }

    ModelFile unevaluated =
        new ModelFile(o.name(), o.version(), Feature.names(), means, scales, w, b, null);
    LogisticRegressionModel model = LogisticRegressionModel.fromFile(unevaluated, "trainer");
    double[] scores = new double[test.size()];
    int[] labels = new int[test.size()];
    int correct = 0;
    for (int t = 0; t < test.size(); t++) {
      int i = test.get(t);
      scores[t] = model.probability(data.x()[i]);
      labels[t] = data.y()[i];
      if (LogisticRegressionModel.label(scores[t]) == labels[t]) {
        correct++;
      }
    }
    double accuracy = (double) correct / test.size();
    double auc = rocAuc(scores, labels);
    ModelFile.Evaluation evaluation =
        new ModelFile.Evaluation(
            round(accuracy), round(auc), train.size(), test.size(), o.seed(), dataName);
    return new Result(
        new ModelFile(o.name(), o.version(), Feature.names(), means, scales, w, b, evaluation),
        accuracy,
        auc);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  /** Area under the ROC curve as the Mann-Whitney statistic, ties counted as half. */
  public static double rocAuc(double[] scores, int[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, c) -> Double.compare(scores[a], scores[c]));
    double rankSumPositive = 0;
    long positives = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        if (labels[order[k]] == 1) {
          rankSumPositive += averageRank;
          positives++;
        }
      }
      i = j + 1;
    }
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      throw new IllegalArgumentException("ROC AUC needs both classes in the held-out set");
    }
    return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * negatives);
  }
}
