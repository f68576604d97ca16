package dev.inferops.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Open Inference Protocol (KServe V2, Triton): server and model metadata, readiness and {@code
 * infer} over the model's one input tensor {@code [N, columns]}.
 */
final class V2Endpoints implements Endpoints {
  static final Route SERVER = new Route("/v2", "GET");
  static final Route LIVE = new Route("/v2/health/live", "GET");
  static final Route READY = new Route("/v2/health/ready", "GET");
  static final Route MODEL = new Route("/v2/models/{name}", "GET");
  static final Route MODEL_READY = new Route("/v2/models/{name}/ready", "GET");
  static final Route INFER = new Route("/v2/models/{name}/infer", "POST");

  private static final String MODELS_PREFIX = "/v2/models/";

  private static final Set<String> REQUEST_KEYS = Set.of("id", "parameters", "inputs", "outputs");
  private static final Set<String> INPUT_KEYS =
      Set.of("name", "shape", "datatype", "parameters", "data");
  private static final Set<String> OUTPUT_KEYS = Set.of("name", "parameters");

  record ServerMetadata(String name, String version, List<String> extensions) {}

  record TensorMetadata(String name, String datatype, long[] shape) {}

  record ModelMetadata(
      String name,
      List<String> versions,
      String platform,
      List<TensorMetadata> inputs,
      List<TensorMetadata> outputs) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Liveness(boolean live, String error) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ModelReady(String name, boolean ready, String error) {}

  record Output(String name, String datatype, long[] shape, Object data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record InferResponse(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      String id,
      List<Output> outputs) {}

  /** A parsed {@code /v2/models/NAME[/versions/VERSION][/ready|/infer]}. */
  record Target(Route route, String name, String version) {}

  private final DataPlane dataPlane;
  private final ModelDescription description;
  private final int width;
  private final ModelMetadata metadata;

  V2Endpoints(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
    this.description = dataPlane.modelDescription();
    this.width = description.width();
    this.metadata =
        new ModelMetadata(
            dataPlane.modelName(),
            List.of(dataPlane.modelVersion()),
            description.platform(),
            List.of(tensor(description.input())),
            description.outputs().stream().map(V2Endpoints::tensor).toList());
  }

  private static TensorMetadata tensor(ModelDescription.Tensor t) {
    return new TensorMetadata(t.name(), t.datatype(), t.shape());
  }

  @Override
  public void register(Routes routes) {
    routes.add(SERVER, r -> server());
    routes.add(LIVE, r -> live());
    routes.add(READY, r -> ready());
    routes.addTemplate(MODEL, r -> model(r.path()));
    routes.addTemplate(MODEL_READY, r -> modelReady(r.path()));
    routes.addTemplate(INFER, this::infer);
    routes.addPrefix(MODELS_PREFIX, V2Endpoints::match);
  }

  @Override
  public void warmUp() {
    server();
    model(MODELS_PREFIX + dataPlane.modelName());
  }

  static Route match(String path) {
    Target t = parse(path);
    return t == null ? Route.UNMATCHED : t.route();
  }

  static Target parse(String path) {
    String[] s = path.substring(MODELS_PREFIX.length()).split("/", -1);
    int n = s.length;
    if (s[0].isEmpty()) {
      return null;
    }
    String version = null;
    int next = 1;
    if (n >= 3 && s[1].equals("versions") && !s[2].isEmpty()) {
      version = s[2];
      next = 3;
    }
    if (n == next) {
      return new Target(MODEL, s[0], version);
    }
    if (n == next + 1 && s[next].equals("ready")) {
      return new Target(MODEL_READY, s[0], version);
    }
    if (n == next + 1 && s[next].equals("infer")) {
      return new Target(INFER, s[0], version);
    }
    return null;
  }

  Reply server() {
    return Reply.json(200, new ServerMetadata("inference-app", dataPlane.appVersion(), List.of()));
  }

  Reply live() {
    return dataPlane.isLive()
        ? Reply.json(200, new Liveness(true, null))
        : Reply.json(500, new Liveness(false, PredictEndpoints.CRASHED));
  }

  Reply ready() {
    return PredictEndpoints.readiness(dataPlane);
  }

  Reply model(String path) {
    requireTarget(path);
    return Reply.json(200, metadata);
  }

  Reply modelReady(String path) {
    requireTarget(path);
    String reason = dataPlane.notReadyReason();
    return reason == null
        ? Reply.json(200, new ModelReady(dataPlane.modelName(), true, null))
        : Reply.json(503, new ModelReady(dataPlane.modelName(), false, reason));
  }

  Reply infer(Request request) {
    requireTarget(request.path());
    dataPlane.requireReady();
    JsonNode root = Json.parseBody(request.body(), request.length());
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "request body must be a JSON object, got " + InstanceValidator.describe(root));
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
        throw ApiException.badRequest(
            "id must be a string, got " + InstanceValidator.describe(idNode), "id");
      }
      id = idNode.textValue();
    }
    requireObject(root.get("parameters"), "parameters");
    double[][] rows = rows(root.get("inputs"));
    boolean[] wanted = requestedOutputs(root.get("outputs"));

    Prediction[] predictions = dataPlane.predict(rows);
    long[] labels = new long[predictions.length];
    double[] probabilities = new double[predictions.length];
    for (int i = 0; i < predictions.length; i++) {
      labels[i] = predictions[i].label();
      probabilities[i] = predictions[i].probability();
    }
    long[] shape = {predictions.length};
    ModelDescription.Tensor label = description.label();
    ModelDescription.Tensor probability = description.probability();
    List<Output> outputs =
        wanted == null
            ? List.of(
                new Output(label.name(), label.datatype(), shape, labels),
                new Output(probability.name(), probability.datatype(), shape, probabilities))
            : outputs(wanted, shape, labels, probabilities);
    return Reply.json(
        200, new InferResponse(dataPlane.modelName(), dataPlane.modelVersion(), id, outputs));
  }

  private List<Output> outputs(
      boolean[] wanted, long[] shape, long[] labels, double[] probabilities) {
    ModelDescription.Tensor label = description.label();
    ModelDescription.Tensor probability = description.probability();
    java.util.ArrayList<Output> out = new java.util.ArrayList<>(2);
    if (wanted[0]) {
      out.add(new Output(label.name(), label.datatype(), shape, labels));
    }
    if (wanted[1]) {
      out.add(new Output(probability.name(), probability.datatype(), shape, probabilities));
    }
    return out;
  }

  private void requireTarget(String path) {
    Target t = parse(path);
    dataPlane.requireModel(t.name());
    if (t.version() != null && !t.version().equals(dataPlane.modelVersion())) {
      throw new ApiException(
          404,
          "model '"
              + t.name()
              + "' has no version '"
              + t.version()
              + "'; this server serves version '"
              + dataPlane.modelVersion()
              + "'",
          null);
    }
  }

  private static void requireObject(JsonNode node, String field) {
    if (node != null && !node.isObject()) {
      throw ApiException.badRequest(
          field + " must be an object, got " + InstanceValidator.describe(node), field);
    }
  }

  private double[][] rows(JsonNode inputs) {
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
      throw ApiException.badRequest(
          at + " must be an object, got " + InstanceValidator.describe(input), at);
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
    JsonNode data = input.get("data");
    String dataField = at + ".data";
    if (data == null || !data.isArray()) {
      throw ApiException.badRequest(
          dataField
              + " must be an array of numbers"
              + (data == null ? "" : ", got " + InstanceValidator.describe(data)),
          dataField);
    }
    double[][] rows = new double[n][width];
    // The protocol allows the tensor flattened in row-major order or nested as [N][columns].
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
    if (n < 1 || n > InstanceValidator.MAX_INSTANCES) {
      throw ApiException.badRequest(
          field + ": N must be between 1 and " + InstanceValidator.MAX_INSTANCES + ", got " + n,
          field);
    }
    return (int) n;
  }

  private double value(JsonNode node, int row, int column, String field, boolean fp32) {
    ModelDescription.Column feature = description.columns().get(column);
    String subject = field + " (row " + row + ", " + feature.name() + ")";
    if (node == null || !node.isNumber()) {
      throw ApiException.badRequest(
          subject
              + " must be a number, got "
              + (node == null ? "nothing" : InstanceValidator.describe(node)),
          field);
    }
    double v = fp32 ? (double) node.floatValue() : node.doubleValue();
    return InstanceValidator.check(feature, v, node.asText(), subject, field);
  }

  private boolean[] requestedOutputs(JsonNode outputs) {
    String label = description.label().name();
    String probability = description.probability().name();
    if (outputs == null) {
      return null;
    }
    if (!outputs.isArray()) {
      throw ApiException.badRequest(
          "outputs must be an array, got " + InstanceValidator.describe(outputs), "outputs");
    }
    boolean[] wanted = new boolean[2];
    for (int i = 0; i < outputs.size(); i++) {
      JsonNode o = outputs.get(i);
      String at = "outputs[" + i + "]";
      if (!o.isObject()) {
        throw ApiException.badRequest(
            at + " must be an object, got " + InstanceValidator.describe(o), at);
      }
      for (Map.Entry<String, JsonNode> e : o.properties()) {
        if (!OUTPUT_KEYS.contains(e.getKey())) {
          throw ApiException.badRequest(
              "unknown field '" + e.getKey() + "' in " + at, at + "." + e.getKey());
        }
      }
      requireObject(o.get("parameters"), at + ".parameters");
      JsonNode name = o.get("name");
      String text = name != null && name.isTextual() ? name.textValue() : null;
      if (label.equals(text)) {
        wanted[0] = true;
      } else if (probability.equals(text)) {
        wanted[1] = true;
      } else {
        throw ApiException.badRequest(
            at + ".name must be '" + label + "' or '" + probability + "'", at + ".name");
      }
    }
    return wanted;
  }
}
