package dev.inferops.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inferops.operator.rollout.V2SmokeTest.Parsed;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The smoke test's pure parts for an ONNX model with the user's instances: the {@code :predict}
 * request of the KServe V1 protocol (instance objects keyed by feature name, which the app checks
 * against the model's own names), and the check of its answer against the outputs of the model's V2
 * metadata: one prediction per instance with every output, and the expected labels or values.
 */
public final class V1SmokeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Set<String> INTEGER =
      Set.of("INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32", "UINT64");

  private V1SmokeTest() {}

  /** An output of the V2 metadata; its shape's first dimension is the batch. */
  public record Output(String name, String datatype, List<Long> shape) {

    /** The number of values per row, as the app counts them. */
    long valuesPerRow() {
      long n = 1;
      for (int i = 1; i < shape.size(); i++) {
        n *= shape.get(i);
      }
      return n;
    }

    /** The app writes a scalar where the shape has the batch dimension only, else an array. */
    boolean scalar() {
      return shape.size() == 1;
    }

    @Override
    public String toString() {
      return name + " " + datatype + " " + shape;
    }
  }

  /**
   * The predict request: its body, the outputs every prediction must hold, and what is expected of
   * the label and value outputs (null where nothing is expected of them).
   */
  public record PredictRequest(
      String model,
      String body,
      int instances,
      List<Output> outputs,
      Output labelOutput,
      List<Integer> expectedLabels,
      Output valueOutput,
      List<Double> expectedValues,
      double tolerance) {}

  /** {@code POST /v1/models/NAME:predict}. */
  public static URI predictUri(URI base, String model) {
    return base.resolve("v1/models/" + V2SmokeTest.segment(model) + ":predict");
  }

  /**
   * The predict request of {@code instances} for a model's V2 metadata; fails when something is
   * expected of an output the model does not have, before anything is sent.
   */
  public static Parsed<PredictRequest> predictRequest(
      String model,
      SmokeClient.Response metadata,
      List<Map<String, Double>> instances,
      List<Integer> expectedLabels,
      List<Double> expectedValues,
      double tolerance) {
    Parsed<JsonNode> answer = V2SmokeTest.json(metadata);
    if (!answer.ok()) {
      return Parsed.failed(answer.failure());
    }
    List<Output> outputs = new ArrayList<>();
    for (JsonNode o : answer.value().path("outputs")) {
      JsonNode shape = o.path("shape");
      if (!o.path("name").isTextual() || !shape.isArray() || shape.isEmpty()) {
        return Parsed.failed("output " + o + ": a name and a shape are needed");
      }
      List<Long> dims = new ArrayList<>();
      for (int i = 0; i < shape.size(); i++) {
        long dim = shape.get(i).asLong(-1);
        if (i > 0 && dim <= 0) {
          return Parsed.failed(
              "output " + o.path("name").textValue() + " has shape " + shape + ": not fixed");
        }
        dims.add(dim);
      }
      outputs.add(
          new Output(o.path("name").textValue(), o.path("datatype").asText(""), List.copyOf(dims)));
    }
    if (outputs.isEmpty()) {
      return Parsed.failed(
          "the metadata declares no outputs: " + SmokeTest.abbreviate(metadata.body()));
    }
    // The app's ONNX label: the first INT64 output with one value per row, written as a scalar.
    Output label =
        outputs.stream()
            .filter(o -> o.datatype().equals("INT64") && o.scalar())
            .findFirst()
            .orElse(null);
    Output value =
        outputs.stream().filter(o -> o != label && o.valuesPerRow() == 1).findFirst().orElse(null);
    if (!expectedLabels.isEmpty() && label == null) {
      return Parsed.failed(
          "expectedLabels is set but the model has no label output (an INT64 output of shape"
              + " [-1]); its outputs: "
              + outputs);
    }
    if (!expectedValues.isEmpty() && value == null) {
      return Parsed.failed(
          "expectedValues is set but the model has no output with one value per row other than"
              + " its label; its outputs: "
              + outputs);
    }
    return Parsed.of(
        new PredictRequest(
            model,
            SmokeTest.body(instances),
            instances.size(),
            List.copyOf(outputs),
            expectedLabels.isEmpty() ? null : label,
            List.copyOf(expectedLabels),
            expectedValues.isEmpty() ? null : value,
            List.copyOf(expectedValues),
            tolerance));
  }

  /** What is wrong with the predict answer, or empty when it is right. */
  public static Optional<String> check(SmokeClient.Response response, PredictRequest request) {
    if (response.status() == 400) {
      // The app names the offending field (an unknown or missing feature); that is the news.
      return Optional.of("HTTP 400, the app rejected the instances: " + appError(response.body()));
    }
    Parsed<JsonNode> answer = V2SmokeTest.json(response);
    if (!answer.ok()) {
      return Optional.of(answer.failure());
    }
    JsonNode predictions = answer.value().path("predictions");
    if (!predictions.isArray()) {
      return Optional.of("no predictions array in " + SmokeTest.abbreviate(response.body()));
    }
    if (predictions.size() != request.instances()) {
      return Optional.of(
          predictions.size() + " predictions for " + request.instances() + " instances");
    }
    for (int i = 0; i < request.instances(); i++) {
      JsonNode p = predictions.get(i);
      if (!p.isObject()) {
        return Optional.of("instance " + i + ": prediction is not an object: " + p);
      }
      for (Output output : request.outputs()) {
        Optional<String> wrong = wrongValue(p.get(output.name()), output);
        if (wrong.isPresent()) {
          return Optional.of("instance " + i + ": output " + output.name() + " " + wrong.get());
        }
      }
      if (request.labelOutput() != null && i < request.expectedLabels().size()) {
        long got = p.get(request.labelOutput().name()).asLong();
        Integer expected = request.expectedLabels().get(i);
        if (expected != null && got != expected) {
          return Optional.of(
              "instance "
                  + i
                  + ": output "
                  + request.labelOutput().name()
                  + " expected label "
                  + expected
                  + ", got "
                  + got);
        }
      }
      if (request.valueOutput() != null && i < request.expectedValues().size()) {
        JsonNode node = p.get(request.valueOutput().name());
        double got = (node.isArray() ? node.get(0) : node).asDouble();
        Double expected = request.expectedValues().get(i);
        // Written so that a NaN fails.
        if (expected != null && !(Math.abs(got - expected) <= request.tolerance())) {
          return Optional.of(
              "instance "
                  + i
                  + ": output "
                  + request.valueOutput().name()
                  + " expected "
                  + expected
                  + " within "
                  + request.tolerance()
                  + ", got "
                  + got);
        }
      }
    }
    return Optional.empty();
  }

  /** What is wrong with one output of a prediction, as the app writes it for the metadata. */
  private static Optional<String> wrongValue(JsonNode value, Output output) {
    if (value == null) {
      return Optional.of("missing");
    }
    List<JsonNode> numbers = new ArrayList<>();
    if (output.scalar()) {
      numbers.add(value);
    } else if (value.isArray() && value.size() == output.valuesPerRow()) {
      value.forEach(numbers::add);
    } else {
      return Optional.of(
          "is "
              + value
              + ", not an array of "
              + output.valuesPerRow()
              + " values ("
              + output
              + ")");
    }
    boolean integer = INTEGER.contains(output.datatype());
    for (JsonNode n : numbers) {
      if (!n.isNumber() || (integer && !n.isIntegralNumber())) {
        return Optional.of(
            "is " + value + ", not " + (integer ? "integral" : "numeric") + " (" + output + ")");
      }
    }
    return Optional.empty();
  }

  /** The app's {@code {"error", "field"}} on one line, else the body as it came. */
  private static String appError(String body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.path("error").isTextual()) {
        String error = node.path("error").textValue().replaceAll("\\s+", " ").strip();
        return "\""
            + error
            + "\""
            + (node.path("field").isTextual()
                ? " (field " + node.path("field").textValue() + ")"
                : "");
      }
    } catch (Exception e) {
      // Not the app's error object: the body itself is the best there is.
    }
    return SmokeTest.abbreviate(body);
  }
}
