package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.LogisticRegressionModel;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Open Inference Protocol routes, as KServe's and Triton's clients call them. */
class V2ProtocolTest {
  private static InferenceServer server;
  private static TestClient client;
  private static LogisticRegressionModel model;

  @BeforeAll
  static void start() throws Exception {
    model = LogisticRegressionModel.loadBundled();
    server = Fixtures.startServer(Map.of("APP_VERSION", "2.0.0-test"), model);
    client = new TestClient(server.port());
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ZERO);
  }

  static ObjectNode request(String datatype, int rows, boolean nested) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("id", "req-42");
    ObjectNode input = root.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", datatype);
    input.putArray("shape").add(rows).add(13);
    ArrayNode data = input.putArray("data");
    for (int r = 0; r < rows; r++) {
      ArrayNode target = nested ? data.addArray() : data;
      for (double v : Fixtures.patientRow()) {
        target.add(v);
      }
    }
    return root;
  }

  @Test
  void serverMetadata() {
    JsonNode body = TestClient.json(client.get("/v2"));
    assertThat(body.get("name").asText()).isEqualTo("inference-app");
    assertThat(body.get("version").asText()).isEqualTo("2.0.0-test");
    assertThat(body.get("extensions").isArray()).isTrue();
  }

  @Test
  void modelMetadataDescribesTheTensors() {
    for (String path :
        new String[] {"/v2/models/heart", "/v2/models/heart/versions/" + model.version()}) {
      HttpResponse<String> r = client.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      JsonNode body = TestClient.json(r);
      assertThat(body.get("name").asText()).isEqualTo("heart");
      assertThat(body.get("versions").get(0).asText()).isEqualTo(model.version());
      assertThat(body.get("platform").asText()).isNotBlank();
      JsonNode input = body.get("inputs").get(0);
      assertThat(input.get("name").asText()).isEqualTo("input-0");
      assertThat(input.get("datatype").asText()).isEqualTo("FP64");
      assertThat(input.get("shape").toString()).isEqualTo("[-1,13]");
      assertThat(body.get("outputs").get(0).get("name").asText()).isEqualTo("label");
      assertThat(body.get("outputs").get(0).get("datatype").asText()).isEqualTo("INT64");
      assertThat(body.get("outputs").get(1).get("name").asText()).isEqualTo("probability");
      assertThat(body.get("outputs").get(1).get("datatype").asText()).isEqualTo("FP64");
    }
  }

  @Test
  void modelAndServerReadiness() {
    HttpResponse<String> r = client.get("/v2/models/heart/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestClient.json(r).get("ready").asBoolean()).isTrue();
    assertThat(client.get("/v2/health/ready").statusCode()).isEqualTo(200);
    assertThat(client.get("/v2/health/live").statusCode()).isEqualTo(200);
    assertThat(client.get("/v2/models/other/ready").statusCode()).isEqualTo(404);
  }

  @Test
  void infersFlatAndNestedFp64AndFp32() {
    double expected = model.probability(Fixtures.patientRow());
    for (String datatype : new String[] {"FP64", "FP32"}) {
      for (boolean nested : new boolean[] {false, true}) {
        HttpResponse<String> r =
            client.post("/v2/models/heart/infer", request(datatype, 3, nested).toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = TestClient.json(r);
        assertThat(body.get("model_name").asText()).isEqualTo("heart");
        assertThat(body.get("model_version").asText()).isEqualTo(model.version());
        assertThat(body.get("id").asText()).isEqualTo("req-42");
        JsonNode label = body.get("outputs").get(0);
        assertThat(label.get("name").asText()).isEqualTo("label");
        assertThat(label.get("datatype").asText()).isEqualTo("INT64");
        assertThat(label.get("shape").toString()).isEqualTo("[3]");
        assertThat(label.get("data").toString()).isEqualTo("[1,1,1]");
        JsonNode p = body.get("outputs").get(1);
        assertThat(p.get("name").asText()).isEqualTo("probability");
        assertThat(p.get("datatype").asText()).isEqualTo("FP64");
        assertThat(p.get("data").get(2).asDouble()).isCloseTo(expected, within(1e-6));
      }
    }
  }

  @Test
  void versionedInferAndRequestedOutputs() {
    ObjectNode req = request("FP64", 1, false);
    req.remove("id");
    req.putArray("outputs").addObject().put("name", "probability");
    HttpResponse<String> r =
        client.post("/v2/models/heart/versions/" + model.version() + "/infer", req.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = TestClient.json(r);
    assertThat(body.has("id")).isFalse();
    assertThat(body.get("outputs")).hasSize(1);
    assertThat(body.get("outputs").get(0).get("name").asText()).isEqualTo("probability");
  }

  static Stream<Arguments> badInfer() {
    ObjectNode base = request("FP64", 2, false);
    ObjectNode wrongName = base.deepCopy();
    ((ObjectNode) wrongName.get("inputs").get(0)).put("name", "x");
    ObjectNode wrongType = base.deepCopy();
    ((ObjectNode) wrongType.get("inputs").get(0)).put("datatype", "INT8");
    ObjectNode wrongShape = base.deepCopy();
    ((ArrayNode) wrongShape.get("inputs").get(0).get("shape")).set(1, 12);
    ObjectNode shortData = base.deepCopy();
    ((ArrayNode) shortData.get("inputs").get(0).get("data")).remove(0);
    ObjectNode outOfRange = base.deepCopy();
    ((ArrayNode) outOfRange.get("inputs").get(0).get("data")).set(13 + 4, 900);
    ObjectNode stringValue = base.deepCopy();
    ((ArrayNode) stringValue.get("inputs").get(0).get("data")).set(0, "63");
    ObjectNode unknownField = base.deepCopy().put("extra", 1);
    ObjectNode numericId = base.deepCopy().put("id", 7);
    ObjectNode badOutput = base.deepCopy();
    badOutput.putArray("outputs").addObject().put("name", "logits");
    ObjectNode twoInputs = base.deepCopy();
    ((ArrayNode) twoInputs.get("inputs")).add(base.get("inputs").get(0).deepCopy());
    ObjectNode zeroRows = request("FP64", 0, false);
    ObjectNode fp32Overflow = request("FP32", 1, false);
    ((ArrayNode) fp32Overflow.get("inputs").get(0).get("data")).set(0, 1e39);
    return Stream.of(
        Arguments.of("wrong input name", wrongName, "inputs[0].name", "input-0"),
        Arguments.of("wrong datatype", wrongType, "inputs[0].datatype", "FP32 or FP64"),
        Arguments.of("wrong shape", wrongShape, "inputs[0].shape", "[N, 13]"),
        Arguments.of("data shorter than shape", shortData, "inputs[0].data", "needs 26"),
        Arguments.of("value out of range", outOfRange, "inputs[0].data[17]", "row 1, chol"),
        Arguments.of("string value", stringValue, "inputs[0].data[0]", "must be a number"),
        Arguments.of("unknown field", unknownField, "extra", "unknown field"),
        Arguments.of("numeric id", numericId, "id", "must be a string"),
        Arguments.of("unknown output", badOutput, "outputs[0].name", "label"),
        Arguments.of("two inputs", twoInputs, "inputs", "exactly one"),
        Arguments.of("zero rows", zeroRows, "inputs[0].shape", "between 1 and"),
        Arguments.of("FP32 overflow", fp32Overflow, "inputs[0].data[0]", "finite"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInfer")
  void badInferIs400NamingTheField(String name, ObjectNode body, String field, String message) {
    HttpResponse<String> r = client.post("/v2/models/heart/infer", body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode json = TestClient.json(r);
    assertThat(json.get("field").asText()).isEqualTo(field);
    assertThat(json.get("error").asText()).contains(message);
  }

  @Test
  void malformedJsonAndUnknownModelsAndVersions() {
    assertThat(client.post("/v2/models/heart/infer", "{").statusCode()).isEqualTo(400);
    String ok = request("FP64", 1, false).toString();
    HttpResponse<String> other = client.post("/v2/models/other/infer", ok);
    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(TestClient.json(other).get("error").asText()).contains("model 'other' not found");
    HttpResponse<String> version = client.get("/v2/models/heart/versions/0.0.1");
    assertThat(version.statusCode()).isEqualTo(404);
    assertThat(TestClient.json(version).get("error").asText()).contains("no version '0.0.1'");
    assertThat(client.get("/v2/models/heart/infer").statusCode()).isEqualTo(405);
    assertThat(client.get("/v2/models/heart/extra").statusCode()).isEqualTo(404);
  }
}
