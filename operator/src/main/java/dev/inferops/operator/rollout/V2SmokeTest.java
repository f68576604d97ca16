package dev.inferops.operator.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The smoke test's pure parts for an ONNX model without the user's instances: the served model's
 * name ({@code GET /v1/models}), its input and outputs from its Open Inference Protocol metadata
 * ({@code GET /v2/models/NAME}), one {@code infer} request of a zero row of the input's width and
 * datatype, and the check of the answer: HTTP 200 with every declared output, each with batch size
 * 1 and as many values as its shape says.
 */
public final class V2SmokeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The datatypes of the protocol a zero row can be written in. */
  private static final Set<String> NUMERIC =
      Set.of(
          "FP16", "FP32", "FP64", "INT8", "INT16", "INT32", "INT64", "UINT8", "UINT16", "UINT32",
          "UINT64");

  /** More values than a row of any tabular model; guards against a shape from a confused server. */
  static final long MAX_ROW_VALUES = 100_000;

  private V2SmokeTest() {}

  /** A value read from an answer, or what is wrong with the answer. */
  public record Parsed<T>(T value, String failure) {
    static <T> Parsed<T> of(T value) {
      return new Parsed<>(value, null);
    }

    static <T> Parsed<T> failed(String failure) {
      return new Parsed<>(null, failure);
    }

    public boolean ok() {
      return failure == null;
    }
  }

  /**
   * The infer request for a model: its URI's path, the body, and the outputs the answer must hold.
   */
  public record InferRequest(
      String model,
      String input,
      String datatype,
      List<Long> shape,
      String body,
      List<String> outputs) {}

  /** {@code GET /v1/models}: the names of the models the server serves. */
  public static URI modelsUri(URI base) {
    return base.resolve("v1/models");
  }

  /** {@code GET /v2/models/NAME}: the model's metadata. */
  public static URI metadataUri(URI base, String model) {
    return base.resolve("v2/models/" + segment(model));
  }

  /** {@code POST /v2/models/NAME/infer}. */
  public static URI inferUri(URI base, String model) {
    return base.resolve("v2/models/" + segment(model) + "/infer");
  }

  /** The one model of a {@code GET /v1/models} answer, {@code {"models": ["NAME"]}}. */
  public static Parsed<String> modelName(SmokeClient.Response response) {
    Parsed<JsonNode> answer = json(response);
    if (!answer.ok()) {
      return Parsed.failed(answer.failure());
    }
    JsonNode models = answer.value().path("models");
    if (!models.isArray() || models.isEmpty() || !models.get(0).isTextual()) {
      return Parsed.failed("no model name in " + SmokeTest.abbreviate(response.body()));
    }
    return Parsed.of(models.get(0).textValue());
  }

  /**
   * The infer request of one zero row for a model's V2 metadata ({@code {"name", "inputs": [{name,
   * datatype, shape: [-1, F]}], "outputs": [{name, ...}]}}).
   */
  public static Parsed<InferRequest> inferRequest(String model, SmokeClient.Response metadata) {
    Parsed<JsonNode> answer = json(metadata);
    if (!answer.ok()) {
      return Parsed.failed(answer.failure());
    }
    JsonNode inputs = answer.value().path("inputs");
    if (!inputs.isArray() || inputs.size() != 1) {
      return Parsed.failed(
          "the metadata must declare exactly one input, got "
              + SmokeTest.abbreviate(metadata.body()));
    }
    JsonNode input = inputs.get(0);
    String name = input.path("name").asText("");
    String datatype = input.path("datatype").asText("");
    if (name.isEmpty() || !NUMERIC.contains(datatype)) {
      return Parsed.failed(
          "input " + input + ": a name and a numeric datatype are needed for a zero row");
    }
    JsonNode shape = input.path("shape");
    if (!shape.isArray() || shape.isEmpty()) {
      return Parsed.failed("input " + name + " has no shape");
    }
    // The first dimension is the batch; the row is 1 of it, with the other dimensions as they are.
    List<Long> rowShape = new ArrayList<>(List.of(1L));
    long values = 1;
    for (int i = 1; i < shape.size(); i++) {
      long dim = shape.get(i).asLong(-1);
      if (dim <= 0) {
        return Parsed.failed("input " + name + " has shape " + shape + ": not a fixed row width");
      }
      rowShape.add(dim);
      values *= dim;
      if (values > MAX_ROW_VALUES) {
        return Parsed.failed("input " + name + " has shape " + shape + ": too wide for a row");
      }
    }
    List<String> outputs = new ArrayList<>();
    for (JsonNode output : answer.value().path("outputs")) {
      if (output.path("name").isTextual()) {
        outputs.add(output.path("name").textValue());
      }
    }
    if (outputs.isEmpty()) {
      return Parsed.failed(
          "the metadata declares no outputs: " + SmokeTest.abbreviate(metadata.body()));
    }
    ObjectNode body = JSON.createObjectNode();
    ObjectNode tensor = body.putArray("inputs").addObject();
    tensor.put("name", name);
    tensor.put("datatype", datatype);
    ArrayNode dims = tensor.putArray("shape");
    rowShape.forEach(dims::add);
    ArrayNode data = tensor.putArray("data");
    for (long i = 0; i < values; i++) {
      data.add(0);
    }
    return Parsed.of(
        new InferRequest(model, name, datatype, List.copyOf(rowShape), body.toString(), outputs));
  }

  /** What is wrong with the infer answer, or empty when it is right. */
  public static Optional<String> check(SmokeClient.Response response, InferRequest request) {
    Parsed<JsonNode> answer = json(response);
    if (!answer.ok()) {
      return Optional.of(answer.failure());
    }
    JsonNode outputs = answer.value().path("outputs");
    if (!outputs.isArray()) {
      return Optional.of("no outputs array in " + SmokeTest.abbreviate(response.body()));
    }
    for (String name : request.outputs()) {
      JsonNode output = null;
      for (JsonNode o : outputs) {
        if (name.equals(o.path("name").asText(null))) {
          output = o;
        }
      }
      if (output == null) {
        return Optional.of(
            "output " + name + " missing in " + SmokeTest.abbreviate(response.body()));
      }
      JsonNode shape = output.path("shape");
      if (!shape.isArray() || shape.isEmpty() || shape.get(0).asLong(-1) != 1) {
        return Optional.of("output " + name + " has shape " + shape + ", not a batch of 1");
      }
      long expected = 1;
      for (JsonNode dim : shape) {
        expected *= dim.asLong(0);
      }
      JsonNode data = output.path("data");
      if (!data.isArray() || data.size() != expected) {
        return Optional.of(
            "output "
                + name
                + " has "
                + (data.isArray() ? data.size() + " values" : "no data")
                + " for shape "
                + shape);
      }
    }
    return Optional.empty();
  }

  /** A 200 answer's JSON object, or what is wrong with the answer. */
  static Parsed<JsonNode> json(SmokeClient.Response response) {
    if (response.status() != 200) {
      return Parsed.failed(
          "HTTP " + response.status() + ": " + SmokeTest.abbreviate(response.body()));
    }
    try {
      JsonNode node = JSON.readTree(response.body());
      return node != null && node.isObject()
          ? Parsed.of(node)
          : Parsed.failed("not a JSON object: " + SmokeTest.abbreviate(response.body()));
    } catch (Exception e) {
      return Parsed.failed("malformed JSON: " + SmokeTest.abbreviate(response.body()));
    }
  }

  /** A model name as one path segment: unreserved characters as they are, the rest escaped. */
  static String segment(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
