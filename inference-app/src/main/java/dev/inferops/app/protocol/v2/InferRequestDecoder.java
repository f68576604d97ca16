package dev.inferops.app.protocol.v2;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.JsonCore;
import dev.inferops.app.json.Utf8;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.protocol.DataPlane;
import dev.inferops.app.protocol.RequestJson;
import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Request;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Decodes an Open Inference Protocol {@code infer} body against the model's description in one
 * pass: the request's fields, its one input tensor (name, datatype, shape, every value against its
 * column) and the outputs it asks for. Every rule of the V2 request is in this file, including the
 * binary tensor data extension that KServe's and Triton's clients use by default: the JSON part,
 * {@code Inference-Header-Content-Length} bytes long, then the tensor's values as little-endian
 * bytes, announced by the input's {@code parameters.binary_data_size}.
 */
final class InferRequestDecoder {
  // KServe's and Triton's clients also send the model's name and version in the body, which their
  // servers accept; they must agree with the path.
  private static final Set<String> REQUEST_KEYS =
      Set.of("id", "parameters", "inputs", "outputs", "model_name", "model_version");
  private static final Set<String> INPUT_KEYS =
      Set.of("name", "shape", "datatype", "parameters", "data");
  private static final Set<String> OUTPUT_KEYS = Set.of("name", "parameters");

  /**
   * A decoded request.
   *
   * @param wantedOutputs indexed like the description's outputs; null when the request names none
   */
  record InferRequest(String id, double[][] rows, boolean[] wantedOutputs) {}

  private final ModelDescription description;
  private final int width;

  InferRequestDecoder(ModelDescription description) {
    this.description = description;
    this.width = description.width();
  }

  /**
   * @throws ApiException (400) naming the offending field
   */
  InferRequest decode(Request request, String modelName, String modelVersion) {
    int jsonLength = usableJsonLength(request);
    if (jsonLength > 0) {
      InferRequest fast =
          fastDecode(request.body(), jsonLength, request.length(), modelName, modelVersion);
      if (fast != null) {
        return fast;
      }
    }
    // Anything unusual, valid or not, goes through the tree, which also words every error.
    return treeDecode(request, modelName, modelVersion);
  }

  /**
   * Streams a JSON request of the usual form straight into rows, without building a tree: the tree
   * of a 100-row batch cost more than the forest that scored it; the input's values may follow the
   * JSON part as binary data. Returns null at the first thing it does not expect (parameters other
   * than the request's own and the input's binary_data_size go the tree's way too); it never
   * accepts what {@link #treeDecode} would reject, and decodes what it accepts the same way.
   *
   * @param jsonLength the JSON part's length, the body's without binary data
   */
  InferRequest fastDecode(
      byte[] body, int jsonLength, int length, String modelName, String modelVersion) {
    if (Utf8.firstInvalid(body, jsonLength) >= 0) {
      return null;
    }
    Binary binary = new Binary(body, jsonLength, length);
    // The shared factory's strict duplicate detection throws on a repeated key, and so falls back.
    try (JsonParser p = JsonCore.FACTORY.createParser(body, 0, jsonLength)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String id = null;
      double[][] rows = null;
      boolean[] wanted = null;
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        switch (key) {
          case "id" -> {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
              return null;
            }
            id = p.getText();
          }
          case "model_name", "model_version" -> {
            String served = key.equals("model_name") ? modelName : modelVersion;
            if (p.nextToken() != JsonToken.VALUE_STRING || !p.getText().equals(served)) {
              return null;
            }
          }
          case "parameters" -> {
            if (p.nextToken() != JsonToken.START_OBJECT) {
              return null;
            }
            p.skipChildren();
          }
          case "inputs" -> {
            if (p.nextToken() != JsonToken.START_ARRAY
                || p.nextToken() != JsonToken.START_OBJECT
                || (rows = fastInput(p, binary)) == null
                || p.nextToken() != JsonToken.END_ARRAY) {
              return null;
            }
          }
          case "outputs" -> {
            if ((wanted = fastOutputs(p)) == null) {
              return null;
            }
          }
          default -> {
            return null;
          }
        }
      }
      return rows != null && p.nextToken() == null && binary.remaining() == 0
          ? new InferRequest(id, rows, wanted)
          : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private double[][] fastInput(JsonParser p, Binary binary) throws IOException {
    boolean named = false;
    String datatype = null;
    int n = -1;
    double[] values = null;
    int binarySize = -1;
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      switch (key) {
        case "name" -> {
          if (p.nextToken() != JsonToken.VALUE_STRING
              || !p.getText().equals(description.input().name())) {
            return null;
          }
          named = true;
        }
        case "datatype" -> {
          if (p.nextToken() != JsonToken.VALUE_STRING) {
            return null;
          }
          datatype = p.getText();
        }
        case "shape" -> {
          if (p.nextToken() != JsonToken.START_ARRAY
              || p.nextToken() != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() != JsonParser.NumberType.INT
              || (n = p.getIntValue()) < 1
              || n > DataPlane.MAX_BATCH
              || p.nextToken() != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() != JsonParser.NumberType.INT
              || p.getIntValue() != width
              || p.nextToken() != JsonToken.END_ARRAY) {
            return null;
          }
        }
        case "data" -> {
          if ((values = fastData(p)) == null) {
            return null;
          }
        }
        case "parameters" -> {
          if (p.nextToken() != JsonToken.START_OBJECT
              || !"binary_data_size".equals(p.nextFieldName())
              || p.nextToken() != JsonToken.VALUE_NUMBER_INT
              || p.getNumberType() != JsonParser.NumberType.INT
              || (binarySize = p.getIntValue()) < 0
              || p.nextToken() != JsonToken.END_OBJECT) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    boolean fp32 = "FP32".equals(datatype);
    if (!named || !(fp32 || "FP64".equals(datatype)) || n < 0) {
      return null;
    }
    if (binarySize >= 0) {
      boolean sized =
          values == null
              && binarySize == n * width * (fp32 ? Float.BYTES : Double.BYTES)
              && binary.remaining() >= binarySize;
      // A refused value throws, and the tree's decode then words it.
      return sized ? binaryData(binary.take(binarySize), n, fp32, "") : null;
    }
    if (values == null || values.length != n * width) {
      return null;
    }
    double[][] rows = new double[n][width];
    for (int r = 0, i = 0; r < n; r++) {
      for (int c = 0; c < width; c++, i++) {
        double v = fp32 ? (double) (float) values[i] : values[i];
        if (!description.columns().get(c).accepts(v)) {
          return null;
        }
        rows[r][c] = v;
      }
    }
    return rows;
  }

  /** The values, flat or nested as rows of the model's width, in row-major order. */
  private double[] fastData(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      return null;
    }
    double[] values = new double[16 * width];
    int count = 0;
    JsonToken t = p.nextToken();
    boolean nested = t == JsonToken.START_ARRAY;
    while (t != JsonToken.END_ARRAY) {
      int rowEnd = count + width;
      if (nested) {
        if (t != JsonToken.START_ARRAY) {
          return null;
        }
        t = p.nextToken();
      }
      do {
        if (!isPlainNumber(p, t) || count == DataPlane.MAX_BATCH * width) {
          return null;
        }
        if (count == values.length) {
          values = Arrays.copyOf(values, Math.min(2 * count, DataPlane.MAX_BATCH * width));
        }
        values[count++] = p.getDoubleValue();
        t = p.nextToken();
      } while (t != JsonToken.END_ARRAY && !(nested && count == rowEnd));
      if (nested) {
        if (count != rowEnd || t != JsonToken.END_ARRAY) {
          return null;
        }
        t = p.nextToken();
      }
    }
    return Arrays.copyOf(values, count);
  }

  // A number too long for a long reads through BigInteger in the tree, whose rounding to FP32
  // could differ in the last place; such a number has no business in a feature row anyway.
  private static boolean isPlainNumber(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NUMBER_FLOAT
        || (t == JsonToken.VALUE_NUMBER_INT
            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER);
  }

  private boolean[] fastOutputs(JsonParser p) throws IOException {
    if (p.nextToken() != JsonToken.START_ARRAY) {
      return null;
    }
    boolean[] wanted = new boolean[description.outputs().size()];
    while (p.nextToken() == JsonToken.START_OBJECT) {
      if (!"name".equals(p.nextFieldName()) || p.nextToken() != JsonToken.VALUE_STRING) {
        return null;
      }
      int index = description.outputIndex(p.getText());
      if (index < 0 || p.nextToken() != JsonToken.END_OBJECT) {
        return null;
      }
      wanted[index] = true;
    }
    return p.currentToken() == JsonToken.END_ARRAY ? wanted : null;
  }

  InferRequest treeDecode(Request request, String modelName, String modelVersion) {
    byte[] body = request.body();
    int jsonLength = jsonLength(request);
    Binary binary = new Binary(body, jsonLength, request.length());
    JsonNode root = RequestJson.parse(body, jsonLength);
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "request body must be a JSON object, got " + RequestJson.kind(root));
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!REQUEST_KEYS.contains(e.getKey())) {
        throw ApiException.badRequest(
            "unknown field '" + e.getKey() + "'; expected " + REQUEST_KEYS, e.getKey());
      }
    }
    String id = null;
    JsonNode idNode = root.get("id");
    if (idNode != null) {
      if (!idNode.isTextual()) {
        throw ApiException.badRequest("id must be a string, got " + RequestJson.kind(idNode), "id");
      }
      id = idNode.textValue();
    }
    requireObject(root.get("parameters"), "parameters");
    requireEqual(root.get("model_name"), "model_name", modelName);
    requireEqual(root.get("model_version"), "model_version", modelVersion);
    double[][] rows = rows(root.get("inputs"), binary);
    if (binary.remaining() != 0) {
      throw ApiException.badRequest(
          binary.remaining()
              + " bytes of binary data after the JSON part that no input's"
              + " parameters.binary_data_size accounts for",
          INFERENCE_HEADER);
    }
    boolean[] wanted = requestedOutputs(root.get("outputs"));
    return new InferRequest(id, rows, wanted);
  }

  private static final String INFERENCE_HEADER = "Inference-Header-Content-Length";

  /** The JSON part's length, or -1 when the header is not one the tree's decode would accept. */
  private static int usableJsonLength(Request request) {
    String header = request.inferenceHeaderLength();
    if (header == null) {
      return request.length();
    }
    try {
      int n = Integer.parseInt(header.trim());
      return n >= 1 && n <= request.length() ? n : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int jsonLength(Request request) {
    int n = usableJsonLength(request);
    if (n < 0) {
      throw ApiException.badRequest(
          INFERENCE_HEADER
              + " must be the length of the JSON part, from 1 to the body's "
              + request.length()
              + " bytes, got '"
              + request.inferenceHeaderLength()
              + "'",
          INFERENCE_HEADER);
    }
    return n;
  }

  /** The binary part after the JSON, read in the order the inputs announce it. */
  private static final class Binary {
    private final ByteBuffer bytes;

    Binary(byte[] body, int from, int to) {
      this.bytes = ByteBuffer.wrap(body, from, to - from).order(ByteOrder.LITTLE_ENDIAN);
    }

    int remaining() {
      return bytes.remaining();
    }

    ByteBuffer take(int size) {
      ByteBuffer part = bytes.slice(bytes.position(), size).order(ByteOrder.LITTLE_ENDIAN);
      bytes.position(bytes.position() + size);
      return part;
    }
  }

  private static void requireObject(JsonNode node, String field) {
    if (node != null && !node.isObject()) {
      throw ApiException.badRequest(
          field + " must be an object, got " + RequestJson.kind(node), field);
    }
  }

  private static void requireEqual(JsonNode node, String field, String served) {
    if (node != null && !(node.isTextual() && node.textValue().equals(served))) {
      throw ApiException.badRequest(
          field + " must be '" + served + "' (the model this request is for), got " + node, field);
    }
  }

  private double[][] rows(JsonNode inputs, Binary binary) {
    String inputName = description.input().name();
    if (inputs == null) {
      throw ApiException.badRequest("missing field 'inputs'", "inputs");
    }
    if (!inputs.isArray() || inputs.size() != 1) {
      throw ApiException.badRequest(
          "inputs must be an array with exactly one tensor '" + inputName + "'", "inputs");
    }
    JsonNode input = inputs.get(0);
    String at = "inputs[0]";
    if (!input.isObject()) {
      throw ApiException.badRequest(at + " must be an object, got " + RequestJson.kind(input), at);
    }
    for (Map.Entry<String, JsonNode> e : input.properties()) {
      if (!INPUT_KEYS.contains(e.getKey())) {
        throw ApiException.badRequest(
            "unknown field '" + e.getKey() + "' in " + at + "; expected " + INPUT_KEYS,
            at + "." + e.getKey());
      }
    }
    JsonNode name = input.get("name");
    if (name == null || !name.isTextual() || !name.textValue().equals(inputName)) {
      throw ApiException.badRequest(
          at + ".name must be '" + inputName + "'" + (name == null ? "" : ", got " + name),
          at + ".name");
    }
    JsonNode datatype = input.get("datatype");
    boolean fp32;
    if (datatype != null && datatype.isTextual() && datatype.textValue().equals("FP32")) {
      fp32 = true;
    } else if (datatype != null && datatype.isTextual() && datatype.textValue().equals("FP64")) {
      fp32 = false;
    } else {
      throw ApiException.badRequest(
          at + ".datatype must be FP32 or FP64" + (datatype == null ? "" : ", got " + datatype),
          at + ".datatype");
    }
    requireObject(input.get("parameters"), at + ".parameters");
    int n = batchSize(input.get("shape"), at + ".shape");
    JsonNode size = input.path("parameters").get("binary_data_size");
    if (size == null) {
      return data(input.get("data"), n, fp32, at + ".data");
    }
    String sizeField = at + ".parameters.binary_data_size";
    if (input.has("data")) {
      throw ApiException.badRequest(
          at + " has both data and parameters.binary_data_size; send one", at + ".data");
    }
    long expected = (long) n * width * (fp32 ? Float.BYTES : Double.BYTES);
    if (!size.isIntegralNumber() || size.asLong() != expected) {
      throw ApiException.badRequest(
          sizeField + " must be " + expected + " for shape [" + n + ", " + width + "], got " + size,
          sizeField);
    }
    if (binary.remaining() < expected) {
      throw ApiException.badRequest(
          sizeField
              + " announces "
              + expected
              + " bytes but the body has "
              + binary.remaining()
              + " after the JSON part",
          sizeField);
    }
    return binaryData(binary.take((int) expected), n, fp32, at + ".binary_data");
  }

  private double[][] binaryData(ByteBuffer bytes, int n, boolean fp32, String field) {
    double[][] rows = new double[n][width];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < width; c++) {
        double v = fp32 ? bytes.getFloat() : bytes.getDouble();
        ModelDescription.Column feature = description.columns().get(c);
        if (!feature.accepts(v)) {
          String problem = feature.problem(v, Double.toString(v));
          throw ApiException.badRequest(
              field
                  + "["
                  + (r * width + c)
                  + "] (row "
                  + r
                  + ", "
                  + feature.name()
                  + ") "
                  + problem,
              field);
        }
        rows[r][c] = v;
      }
    }
    return rows;
  }

  /**
   * The tensor's values: flattened in row-major order or nested as [N][columns], as the protocol
   * allows.
   */
  private double[][] data(JsonNode data, int n, boolean fp32, String dataField) {
    if (data == null || !data.isArray()) {
      throw ApiException.badRequest(
          dataField
              + " must be an array of numbers"
              + (data == null ? "" : ", got " + RequestJson.kind(data)),
          dataField);
    }
    double[][] rows = new double[n][width];
    boolean nested = data.size() > 0 && data.get(0).isArray();
    if (nested) {
      if (data.size() != n) {
        throw ApiException.badRequest(
            dataField + " has " + data.size() + " rows but the shape says " + n, dataField);
      }
      for (int r = 0; r < n; r++) {
        JsonNode row = data.get(r);
        String rowField = dataField + "[" + r + "]";
        if (!row.isArray() || row.size() != width) {
          throw ApiException.badRequest(
              rowField + " must be an array of " + width + " numbers", rowField);
        }
        for (int c = 0; c < width; c++) {
          rows[r][c] = value(row.get(c), r, c, rowField + "[" + c + "]", fp32);
        }
      }
    } else {
      if (data.size() != n * width) {
        throw ApiException.badRequest(
            dataField
                + " has "
                + data.size()
                + " values but the shape ["
                + n
                + ", "
                + width
                + "] needs "
                + n * width,
            dataField);
      }
      for (int i = 0; i < data.size(); i++) {
        int r = i / width;
        int c = i % width;
        rows[r][c] = value(data.get(i), r, c, dataField + "[" + i + "]", fp32);
      }
    }
    return rows;
  }

  private int batchSize(JsonNode shape, String field) {
    boolean ok =
        shape != null
            && shape.isArray()
            && shape.size() == 2
            && shape.get(0).isIntegralNumber()
            && shape.get(1).isIntegralNumber()
            && shape.get(1).asLong() == width;
    if (!ok) {
      throw ApiException.badRequest(
          field + " must be [N, " + width + "]" + (shape == null ? "" : ", got " + shape), field);
    }
    long n = shape.get(0).asLong();
    if (n < 1 || n > DataPlane.MAX_BATCH) {
      throw ApiException.badRequest(
          field + ": N must be between 1 and " + DataPlane.MAX_BATCH + ", got " + n, field);
    }
    return (int) n;
  }

  private double value(JsonNode node, int row, int column, String field, boolean fp32) {
    ModelDescription.Column feature = description.columns().get(column);
    String subject = field + " (row " + row + ", " + feature.name() + ")";
    if (node == null || !node.isNumber()) {
      throw ApiException.badRequest(
          subject + " must be a number, got " + (node == null ? "nothing" : RequestJson.kind(node)),
          field);
    }
    double v = fp32 ? (double) node.floatValue() : node.doubleValue();
    String problem = feature.accepts(v) ? null : feature.problem(v, node.asText());
    if (problem != null) {
      throw ApiException.badRequest(subject + " " + problem, field);
    }
    return v;
  }

  private boolean[] requestedOutputs(JsonNode outputs) {
    if (outputs == null) {
      return null;
    }
    if (!outputs.isArray()) {
      throw ApiException.badRequest(
          "outputs must be an array, got " + RequestJson.kind(outputs), "outputs");
    }
    boolean[] wanted = new boolean[description.outputs().size()];
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode o = outputs.get(i);
      String at = "outputs[" + i + "]";
      if (!o.isObject()) {
        throw ApiException.badRequest(at + " must be an object, got " + RequestJson.kind(o), at);
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!OUTPUT_KEYS.contains(e.getKey())) {
          throw ApiException.badRequest(
              "unknown field '" + e.getKey() + "' in " + at, at + "." + e.getKey());
        }
      }
      requireObject(o.get("parameters"), at + ".parameters");
      JsonNode name = o.get("name");
      int index = name != null && name.isTextual() ? description.outputIndex(name.textValue()) : -1;
      if (index < 0) {
        throw ApiException.badRequest(at + ".name must be one of " + outputNames(), at + ".name");
      }
      wanted[index] = true;
    }
    return wanted;
  }

  private String outputNames() {
    StringBuilder b = new StringBuilder();
    for (ModelDescription.Tensor t : description.outputs()) {
      b.append(b.length() == 0 ? "'" : ", '").append(t.name()).append('\'');
    }
    return b.toString();
  }
}
