package dev.inferops.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The smoke test's pure parts: which rows to send and whether an answer is right. A right answer is
 * HTTP 200 with a JSON object whose {@code predictions} has one entry per row, each with a numeric
 * {@code label} (the expected one, when given) and a {@code probability} in [0, 1].
 */
public final class SmokeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The app's own example: a patient of the Cleveland heart-disease data. */
  static final Map<String, Double> EXAMPLE_PATIENT = examplePatient();

  private SmokeTest() {}

  private static Map<String, Double> examplePatient() {
    Map<String, Double> p = new LinkedHashMap<>();
    p.put("age", 63.0);
    p.put("sex", 1.0);
    p.put("cp", 3.0);
    p.put("trestbps", 145.0);
    p.put("chol", 233.0);
    p.put("fbs", 1.0);
    p.put("restecg", 0.0);
    p.put("thalach", 150.0);
    p.put("exang", 0.0);
    p.put("oldpeak", 2.3);
    p.put("slope", 0.0);
    p.put("ca", 0.0);
    p.put("thal", 1.0);
    return Map.copyOf(p);
  }

  /**
   * The rows to send: the configured ones; else the example patient, unless the model JSON names
   * other features, then one row of its feature means, rounded (category codes must be whole).
   */
  public static List<Map<String, Double>> instances(
      List<Map<String, Double>> configured, Optional<String> modelJson) {
    if (!configured.isEmpty()) {
      return configured;
    }
    Map<String, Double> fromModel = modelJson.flatMap(SmokeTest::meanRow).orElse(null);
    if (fromModel == null || fromModel.keySet().equals(EXAMPLE_PATIENT.keySet())) {
      return List.of(orderedPatient());
    }
    return List.of(fromModel);
  }

  private static Map<String, Double> orderedPatient() {
    Map<String, Double> ordered = new LinkedHashMap<>();
    List.of(
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
            "thal")
        .forEach(f -> ordered.put(f, EXAMPLE_PATIENT.get(f)));
    return ordered;
  }

  private static Optional<Map<String, Double>> meanRow(String modelJson) {
    try {
      JsonNode model = JSON.readTree(modelJson);
      JsonNode features = model.path("features");
      JsonNode means = model.path("means");
      if (!features.isArray() || !means.isArray() || features.size() != means.size()) {
        return Optional.empty();
      }
      Map<String, Double> row = new LinkedHashMap<>();
      for (int i = 0; i < features.size(); i++) {
        row.put(features.get(i).asText(), (double) Math.round(means.get(i).asDouble()));
      }
      return Optional.of(row);
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** The request body; whole numbers are written without a fraction, as the app wants codes. */
  public static String body(List<Map<String, Double>> instances) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode rows = body.putArray("instances");
    for (Map<String, Double> instance : instances) {
      ObjectNode row = rows.addObject();
      instance.forEach(
          (k, v) -> {
            if (v != null && v == Math.rint(v) && Math.abs(v) < 1e15) {
              row.put(k, v.longValue());
            } else {
              row.put(k, v);
            }
          });
    }
    return body.toString();
  }

  /** What is wrong with the answer, or empty when it is right. */
  public static Optional<String> check(
      SmokeClient.Response response, int instances, List<Integer> expectedLabels) {
    if (response.status() != 200) {
      return Optional.of("HTTP " + response.status() + ": " + abbreviate(response.body()));
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (Exception e) {
      return Optional.of("malformed JSON: " + abbreviate(response.body()));
    }
    JsonNode predictions = answer == null ? null : answer.get("predictions");
    if (predictions == null || !predictions.isArray()) {
      return Optional.of("no predictions array in " + abbreviate(response.body()));
    }
    if (predictions.size() != instances) {
      return Optional.of(predictions.size() + " predictions for " + instances + " instances");
    }
    for (int i = 0; i < instances; i++) {
      JsonNode p = predictions.get(i);
      JsonNode label = p.get("label");
      JsonNode probability = p.get("probability");
      if (label == null || !label.isNumber()) {
        return Optional.of("instance " + i + ": no numeric label in " + p);
      }
      if (probability == null
          || !probability.isNumber()
          || probability.asDouble() < 0
          || probability.asDouble() > 1) {
        return Optional.of("instance " + i + ": probability not in [0, 1] in " + p);
      }
      if (i < expectedLabels.size()
          && expectedLabels.get(i) != null
          && label.asInt() != expectedLabels.get(i)) {
        return Optional.of(
            "instance " + i + ": expected label " + expectedLabels.get(i) + ", got " + p);
      }
    }
    return Optional.empty();
  }

  static String abbreviate(String body) {
    if (body == null) {
      return "(no body)";
    }
    String flat = body.replaceAll("\\s+", " ").strip();
    return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
  }
}
