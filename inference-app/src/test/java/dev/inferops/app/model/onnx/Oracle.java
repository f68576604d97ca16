package dev.inferops.app.model.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * A committed ONNX model and what the framework that trained it predicts for every row of heart.csv
 * ({@code make models} writes both): the oracle the server's answers must equal.
 *
 * @param featureNames the model's columns, as its metadata names them
 * @param labels null for a regressor
 * @param probabilities per row, the class probabilities; null for a regressor
 * @param values per row, the regressor's value; null for a classifier
 */
public record Oracle(
    String name,
    Path file,
    String[] featureNames,
    double[][] inputs,
    long[] labels,
    double[][] probabilities,
    double[] values) {

  /** Labels must be equal, probabilities and values this close. */
  public static final double TOLERANCE = 1e-5;

  public static final String[] CLASSIFIERS = {
    "heart-logreg", "heart-forest", "heart-gbt", "heart-lgbm", "heart-mlp"
  };
  public static final String REGRESSOR = "heart-oldpeak-regressor";

  public static Oracle of(String name) {
    JsonNode root;
    try (InputStream in = Oracle.class.getResourceAsStream("/onnx/" + name + ".oracle.json")) {
      root = Json.MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    double[][] inputs = Json.MAPPER.convertValue(root.get("inputs"), double[][].class);
    long[] labels =
        root.has("labels") ? Json.MAPPER.convertValue(root.get("labels"), long[].class) : null;
    double[][] probabilities =
        root.has("probabilities")
            ? Json.MAPPER.convertValue(root.get("probabilities"), double[][].class)
            : null;
    double[] values =
        root.has("values") ? Json.MAPPER.convertValue(root.get("values"), double[].class) : null;
    String[] featureNames = Json.MAPPER.convertValue(root.get("feature_names"), String[].class);
    return new Oracle(
        name, file(name + ".onnx"), featureNames, inputs, labels, probabilities, values);
  }

  /** A committed model file, e.g. {@code hostile/zipmap.onnx}. */
  public static Path file(String relative) {
    try {
      return Path.of(Oracle.class.getResource("/onnx/" + relative).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
