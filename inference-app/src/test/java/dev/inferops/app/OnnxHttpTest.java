package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.onnx.OnnxModel;
import dev.inferops.app.model.onnx.Oracle;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A user's ONNX model over every protocol: the answers equal the framework that trained it on all
 * of heart.csv, bad requests get a 400 naming the input, and a fuzz of the bodies gives no 5xx.
 */
class OnnxHttpTest {
  private static final String NAME = "heart-forest";
  private static Oracle oracle;
  private static InferenceServer server;
  private static TestClient client;

  @BeforeAll
  static void start() throws Exception {
    oracle = Oracle.of(NAME);
    server = Fixtures.startServer(Map.of(), OnnxModel.load(oracle.file(), 512));
    client = new TestClient(server.port());
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ZERO);
  }

  static ObjectNode v2Request(double[][] rows) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ObjectNode input = root.putArray("inputs").addObject();
    input.put("name", "input").put("datatype", "FP32");
    input.putArray("shape").add(rows.length).add(rows[0].length);
    ArrayNode data = input.putArray("data");
    for (double[] row : rows) {
      for (double v : row) {
        data.add(v);
      }
    }
    return root;
  }

  static String instances(double[][] rows) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode instances = root.putArray("instances");
    for (double[] row : rows) {
      ArrayNode r = instances.addArray();
      for (double v : row) {
        r.add(v);
      }
    }
    return root.toString();
  }

  private static void assertEqualsOracle(long label, JsonNode probabilities, int row) {
    assertThat(label).as("label of row %d", row).isEqualTo(oracle.labels()[row]);
    for (int c = 0; c < 2; c++) {
      assertThat(probabilities.get(c).asDouble())
          .as("probability of class %d, row %d", c, row)
          .isCloseTo(oracle.probabilities()[row][c], within(Oracle.TOLERANCE));
    }
  }

  @Test
  void v2MetadataIsTheGraphs() {
    JsonNode body = TestClient.json(client.get("/v2/models/" + NAME));

    assertThat(body.get("platform").asText()).isEqualTo("onnxruntime_onnx");
    assertThat(body.get("versions").toString()).isEqualTo("[\"1\"]");
    assertThat(body.get("inputs").toString())
        .isEqualTo("[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,13]}]");
    assertThat(body.get("outputs").toString())
        .isEqualTo(
            "[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
                + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]");
  }

  @Test
  void v2InferEqualsTheFrameworkOnEveryRow() {
    ObjectNode request = v2Request(oracle.inputs());
    request.put("model_name", NAME);
    request.put("model_version", "1");

    HttpResponse<String> r = client.post("/v2/models/" + NAME + "/infer", request.toString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = TestClient.json(r);
    assertThat(body.get("model_name").asText()).isEqualTo(NAME);
    JsonNode label = body.get("outputs").get(0);
    JsonNode probabilities = body.get("outputs").get(1);
    int n = oracle.inputs().length;
    assertThat(label.get("shape").toString()).isEqualTo("[" + n + "]");
    assertThat(probabilities.get("shape").toString()).isEqualTo("[" + n + ",2]");
    for (int row = 0; row < n; row++) {
      ArrayNode pair = Json.MAPPER.createArrayNode();
      pair.add(probabilities.get("data").get(2 * row))
          .add(probabilities.get("data").get(2 * row + 1));
      assertEqualsOracle(label.get("data").get(row).asLong(), pair, row);
    }
  }

  @ParameterizedTest
  @CsvSource({"/v1/models/" + NAME + ":predict", "/predict"})
  void v1AndPredictEqualTheFrameworkOnEveryRow(String path) {
    HttpResponse<String> r = client.post(path, instances(oracle.inputs()));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode predictions = TestClient.json(r).get("predictions");
    assertThat(predictions).hasSize(oracle.inputs().length);
    for (int row = 0; row < predictions.size(); row++) {
      JsonNode p = predictions.get(row);
      assertEqualsOracle(p.get("label").asLong(), p.get("probabilities"), row);
    }
  }

  @Test
  void v1InstancesMayNameTheFeatures() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode instances = root.putArray("instances");
    for (int row = 0; row < 5; row++) {
      ObjectNode named = instances.addObject();
      for (int c = 0; c < 13; c++) {
        named.put(oracle.featureNames()[c], oracle.inputs()[row][c]);
      }
    }

    HttpResponse<String> r = client.post("/v1/models/" + NAME + ":predict", root.toString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode predictions = TestClient.json(r).get("predictions");
    for (int row = 0; row < 5; row++) {
      JsonNode p = predictions.get(row);
      assertEqualsOracle(p.get("label").asLong(), p.get("probabilities"), row);
    }
  }

  static Consumer<ObjectNode> edit(String pointer, String json) {
    return root -> {
      int slash = pointer.lastIndexOf('/');
      ObjectNode parent = (ObjectNode) root.at(pointer.substring(0, slash));
      parent.set(pointer.substring(slash + 1), TestClient.json(json));
    };
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/inputs/0/name     | \"features\" | inputs[0].name must be 'input'",
        "/inputs/0/datatype | \"INT64\"    | inputs[0].datatype must be FP32 or FP64",
        "/inputs/0/shape    | [1, 12]      | inputs[0].shape must be [N, 13]",
        "/inputs/0/shape    | [1001, 13]   | N must be between 1 and 1000",
        "/model_name        | \"other\"    | model_name must be 'heart-forest'",
        "/outputs           | [{\"name\": \"probability\"}] | outputs[0].name must be one of 'label', 'probabilities'",
      })
  void aBadV2RequestIs400NamingWhatIsWrong(String pointer, String value, String message) {
    ObjectNode body = v2Request(new double[][] {oracle.inputs()[0]});
    edit(pointer, value).accept(body);

    HttpResponse<String> r = client.post("/v2/models/" + NAME + "/infer", body.toString());

    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(TestClient.json(r).get("error").asText()).contains(message);
  }

  @Test
  void aNonNumberWhereTheModelTakesNumbersIs400() {
    ObjectNode body = v2Request(new double[][] {oracle.inputs()[0]});
    ((ArrayNode) body.at("/inputs/0/data")).set(9, Json.MAPPER.getNodeFactory().textNode("NaN"));

    HttpResponse<String> r = client.post("/v2/models/" + NAME + "/infer", body.toString());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestClient.json(r).get("error").asText())
        .contains("inputs[0].data[9] (row 0, oldpeak) must be a number");
  }

  /** The binary tensor data extension, as KServe's and Triton's clients send it by default. */
  private static HttpResponse<String> binary(String json, String header, float... values) {
    java.nio.ByteBuffer body =
        java.nio.ByteBuffer.allocate(json.length() + 4 * values.length)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    body.put(json.getBytes(StandardCharsets.US_ASCII));
    for (float v : values) {
      body.putFloat(v);
    }
    return client.send(
        java.net.http.HttpRequest.newBuilder(client.uri("/v2/models/" + NAME + "/infer"))
            .header("Content-Type", "application/octet-stream")
            .header("Inference-Header-Content-Length", header)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.array())));
  }

  private static final String BINARY_JSON =
      "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,13],\"datatype\":\"FP32\","
          + "\"parameters\":{\"binary_data_size\":52}}]}";

  private static float[] row(int index) {
    float[] out = new float[13];
    for (int c = 0; c < 13; c++) {
      out[c] = (float) oracle.inputs()[index][c];
    }
    return out;
  }

  @Test
  void binaryTensorDataIsRead() {
    HttpResponse<String> r = binary(BINARY_JSON, "" + BINARY_JSON.length(), row(0));

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode outputs = TestClient.json(r).get("outputs");
    assertEqualsOracle(outputs.get(0).get("data").get(0).asLong(), outputs.get(1).get("data"), 0);
  }

  @Test
  void badBinaryTensorDataIs400NamingWhatIsWrong() {
    float[] nan = row(0);
    nan[4] = Float.NaN;
    String n = "" + BINARY_JSON.length();

    assertThat(TestClient.json(binary(BINARY_JSON, "x", row(0))).get("error").asText())
        .startsWith("Inference-Header-Content-Length must be the length of the JSON part");
    assertThat(
            TestClient.json(binary(BINARY_JSON, n, Arrays.copyOf(row(0), 12)))
                .get("error")
                .asText())
        .isEqualTo(
            "inputs[0].parameters.binary_data_size announces 52 bytes but the body has 48 after"
                + " the JSON part");
    assertThat(
            TestClient.json(binary(BINARY_JSON, n, Arrays.copyOf(row(0), 14)))
                .get("error")
                .asText())
        .startsWith("4 bytes of binary data after the JSON part");
    assertThat(binary(BINARY_JSON, n, nan).statusCode()).isEqualTo(400);
    assertThat(TestClient.json(binary(BINARY_JSON, n, nan)).get("error").asText())
        .isEqualTo("inputs[0].binary_data[4] (row 0, chol) must be a finite number");
  }

  @Test
  void explainWithoutAnExplainerSaysSo() {
    HttpResponse<String> r =
        client.post("/v1/models/" + NAME + ":explain", instances(oracle.inputs()));

    assertThat(r.statusCode()).isEqualTo(501);
    assertThat(TestClient.json(r).get("error").asText())
        .isEqualTo("model 'heart-forest' has no explainer; this server only predicts");
  }

  @Test
  void metricsCountTheRowsAndTheLabelsOfThisModel() {
    client.post("/predict", instances(new double[][] {oracle.inputs()[0]}));

    String metrics = client.get("/metrics").body();

    assertThat(metrics).containsPattern("inference_rows_total\\{model=\"heart-forest\"} [1-9]");
    assertThat(metrics)
        .containsPattern(
            "inference_predictions_total\\{label=\""
                + oracle.labels()[0]
                + "\",model=\"heart-forest\"} [1-9]");
  }

  /** Bounded: a fixed seed and count, so a failure replays. */
  @ParameterizedTest
  @CsvSource({"/v2/models/" + NAME + "/infer, v2", "/v1/models/" + NAME + ":predict, v1"})
  void aFuzzOfTheBodiesGivesNo5xx(String path, String protocol) {
    String valid =
        protocol.equals("v2")
            ? v2Request(new double[][] {oracle.inputs()[0], oracle.inputs()[1]}).toString()
            : instances(new double[][] {oracle.inputs()[0], oracle.inputs()[1]});
    String[] tokens = {
      "null",
      "\"x\"",
      "1e999",
      "-1e999",
      "NaN",
      "[]",
      "{}",
      "[[",
      "0",
      "-0",
      "1.5",
      "true",
      "\"\\u0000\"",
      "99999999999999999999",
      ","
    };
    Random random = new Random(19);
    int answered = 0;
    for (int i = 0; i < 600; i++) {
      StringBuilder body = new StringBuilder(valid);
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits && body.length() > 0; e++) {
        int at = random.nextInt(body.length());
        switch (random.nextInt(4)) {
          case 0 -> body.deleteCharAt(at);
          case 1 -> body.insert(at, tokens[random.nextInt(tokens.length)]);
          case 2 -> body.setLength(at);
          default ->
              body.replace(
                  at, Math.min(body.length(), at + 3), tokens[random.nextInt(tokens.length)]);
        }
      }
      HttpResponse<String> r = client.post(path, body.toString().getBytes(StandardCharsets.UTF_8));
      assertThat(r.statusCode()).as("body %s -> %s", body, r.body()).isLessThan(500);
      if (r.statusCode() == 200) {
        answered++;
      }
    }
    // Some mutations keep the body valid; most must not.
    assertThat(answered).isLessThan(600);
  }

  @Test
  void aRegressorAnswersItsValues() throws Exception {
    Oracle regressor = Oracle.of(Oracle.REGRESSOR);
    InferenceServer other = Fixtures.startServer(Map.of(), OnnxModel.load(regressor.file(), 512));
    try {
      TestClient c = new TestClient(other.port());
      double[][] rows = java.util.Arrays.copyOf(regressor.inputs(), 20);

      HttpResponse<String> r =
          c.post("/v2/models/" + Oracle.REGRESSOR + "/infer", v2Request(rows).toString());
      HttpResponse<String> p = c.post("/predict", instances(rows));

      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode output = TestClient.json(r).get("outputs").get(0);
      assertThat(output.get("name").asText()).isEqualTo("variable");
      assertThat(output.get("shape").toString()).isEqualTo("[20,1]");
      JsonNode predictions = TestClient.json(p).get("predictions");
      for (int row = 0; row < rows.length; row++) {
        assertThat(output.get("data").get(row).asDouble())
            .isCloseTo(regressor.values()[row], within(Oracle.TOLERANCE));
        assertThat(predictions.get(row).get("variable").get(0).asDouble())
            .isCloseTo(regressor.values()[row], within(Oracle.TOLERANCE));
      }
    } finally {
      other.stop(Duration.ZERO);
    }
  }
}
