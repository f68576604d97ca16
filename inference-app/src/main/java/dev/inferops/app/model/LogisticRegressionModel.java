package dev.inferops.app.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The heart model's runtime: a logistic regression over the 13 {@link Feature}s with feature
 * standardisation, loaded from its JSON file.
 */
public final class LogisticRegressionModel implements Model {
  public static final String BUNDLED_RESOURCE = "/model/heart.json";

  /** The same for every model of this runtime: the file format fixes the features. */
  public static final ModelDescription DESCRIPTION =
      new ModelDescription(
          "inferops-logistic-regression",
          new ModelDescription.Tensor("input-0", "FP64", new long[] {-1, Feature.COUNT}),
          columns(),
          List.of(
              new ModelDescription.Tensor("label", "INT64", new long[] {-1}),
              new ModelDescription.Tensor("probability", "FP64", new long[] {-1})),
          0);

  // A loop rather than a stream: this runs before the port opens, and streams load classes.
  private static List<ModelDescription.Column> columns() {
    List<ModelDescription.Column> out = new ArrayList<>(Feature.COUNT);
    for (Feature f : Feature.ALL) {
      out.add(new ModelDescription.Column(f.jsonName(), f.min(), f.max(), f.categorical()));
    }
    return out;
  }

  // The name appears in KServe URLs (/v1/models/NAME), so it must be path-safe.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private final String name;
  private final String version;
  private final String source;
  private final ModelFile file;
  // Standardisation folded into the weights, indexed by Feature.ordinal(): one dot product per row.
  private final double[] coefficients;
  private final double intercept;

  private LogisticRegressionModel(ModelFile file, String source) {
    this.name = file.name();
    this.version = file.version();
    this.source = source;
    this.file = file;
    this.coefficients = new double[Feature.COUNT];
    double b = file.bias();
    for (int i = 0; i < Feature.COUNT; i++) {
      Feature f = Feature.byName(file.features().get(i));
      double w = file.weights()[i] / file.scales()[i];
      coefficients[f.ordinal()] = w;
      b -= w * file.means()[i];
    }
    this.intercept = b;
  }

  /** Loads the model bundled in the jar. */
  public static LogisticRegressionModel loadBundled() {
    try (InputStream in = LogisticRegressionModel.class.getResourceAsStream(BUNDLED_RESOURCE)) {
      if (in == null) {
        throw new ModelException("bundled model " + BUNDLED_RESOURCE + " is missing from the jar");
      }
      return parse(in.readAllBytes(), "bundled:" + BUNDLED_RESOURCE);
    } catch (IOException e) {
      throw new ModelException("cannot read bundled model: " + e.getMessage(), e);
    }
  }

  /** Loads a model file, e.g. one mounted from a ConfigMap. */
  public static LogisticRegressionModel load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ModelException("model file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new ModelException("cannot read model file " + path + ": " + e, e);
    }
    return parse(bytes, path.toString());
  }

  public static LogisticRegressionModel parse(byte[] json, String source) {
    return fromFile(ModelFileReader.read(json, source), source);
  }

  /** Checks a model file and precomputes the scorer. */
  public static LogisticRegressionModel fromFile(ModelFile file, String source) {
    String prefix = "model " + source + ": ";
    if (file.name() == null || !NAME.matcher(file.name()).matches()) {
      throw new ModelException(
          prefix + "'name' must match " + NAME.pattern() + ", got " + quote(file.name()));
    }
    if (file.version() == null || file.version().isBlank()) {
      throw new ModelException(prefix + "'version' is missing");
    }
    if (file.features() == null) {
      throw new ModelException(prefix + "'features' is missing");
    }
    Set<String> seen = new HashSet<>();
    for (String feature : file.features()) {
      if (Feature.byName(feature) == null) {
        throw new ModelException(
            prefix + "unknown feature " + quote(feature) + "; expected " + Feature.names());
      }
      if (!seen.add(feature)) {
        throw new ModelException(prefix + "feature " + quote(feature) + " is listed twice");
      }
    }
    if (seen.size() != Feature.COUNT) {
      List<String> missing = Feature.names().stream().filter(n -> !seen.contains(n)).toList();
      throw new ModelException(prefix + "features " + missing + " are missing");
    }
    checkArray(prefix, "means", file.means(), false);
    checkArray(prefix, "scales", file.scales(), true);
    checkArray(prefix, "weights", file.weights(), false);
    if (file.bias() == null || !Double.isFinite(file.bias())) {
      throw new ModelException(prefix + "'bias' must be a finite number");
    }
    return new LogisticRegressionModel(file, source);
  }

  private static void checkArray(String prefix, String key, double[] values, boolean positive) {
    if (values == null) {
      throw new ModelException(prefix + "'" + key + "' is missing");
    }
    if (values.length != Feature.COUNT) {
      throw new ModelException(
          prefix
              + "'"
              + key
              + "' has "
              + values.length
              + " values but there are "
              + Feature.COUNT
              + " features");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i]) || (positive && values[i] <= 0)) {
        throw new ModelException(
            prefix
                + "'"
                + key
                + "["
                + i
                + "]' must be a finite"
                + (positive ? " positive" : "")
                + " number, got "
                + values[i]);
      }
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }

  @Override
  public ModelDescription description() {
    return DESCRIPTION;
  }

  @Override
  public Scores predict(double[][] rows) {
    long[] labels = new long[rows.length];
    double[] probabilities = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      probabilities[i] = probability(rows[i]);
      labels[i] = label(probabilities[i]);
    }
    return new Scores(rows.length, List.of(labels, probabilities));
  }

  /** Probability of the positive class for one row given in {@link Feature} order. */
  public double probability(double[] x) {
    double z = intercept;
    for (int i = 0; i < coefficients.length; i++) {
      z += coefficients[i] * x[i];
    }
    return sigmoid(z);
  }

  public static int label(double probability) {
    return probability >= 0.5 ? 1 : 0;
  }

  public static double sigmoid(double z) {
    // Split by sign so exp never overflows.
    if (z >= 0) {
      return 1.0 / (1.0 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1.0 + e);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String source() {
    return source;
  }

  public ModelFile file() {
    return file;
  }
}
