package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.routing.Routes;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HttpApiTest {
  private static InferenceServer server;
  private static TestClient client;
  private static LogisticRegressionModel model;

  @BeforeAll
  static void start() throws Exception {
    model = LogisticRegressionModel.loadBundled();
    server = Fixtures.startServer(Map.of(), model);
    client = new TestClient(server.port());
  }

  @AfterAll
  static void stop() {
    server.stop(Duration.ZERO);
  }

  @Test
  void predictsOneObject() {
    HttpResponse<String> r = client.post("/predict", Fixtures.patient().toString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    JsonNode body = TestClient.json(r);
    assertThat(body.get("model").asText()).isEqualTo("heart");
    assertThat(body.get("version").asText()).isEqualTo(model.version());
    assertThat(body.get("predictions")).hasSize(1);
    JsonNode p = body.get("predictions").get(0);
    assertThat(p.get("label").asInt()).isEqualTo(1);
    assertThat(p.get("probability").asDouble())
        .isCloseTo(model.probability(Fixtures.patientRow()), within(1e-12));
  }

  @Test
  void predictsInstances() {
    ObjectNode low = Fixtures.patient();
    // A profile the model scores low: older man, asymptomatic, exercise angina, vessels, defect.
    low.put("age", 67).put("cp", 0).put("thalach", 108).put("exang", 1).put("oldpeak", 4.0);
    low.put("ca", 3).put("thal", 3).put("slope", 1);
    HttpResponse<String> r = client.post("/predict", Fixtures.instances(Fixtures.patient(), low));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode predictions = TestClient.json(r).get("predictions");
    assertThat(predictions).hasSize(2);
    assertThat(predictions.get(0).get("label").asInt()).isEqualTo(1);
    assertThat(predictions.get(1).get("label").asInt()).isEqualTo(0);
    assertThat(predictions.get(1).get("probability").asDouble()).isLessThan(0.5);
  }

  @Test
  void acceptsOtherContentTypesLeniently() {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(client.uri("/predict"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Fixtures.patient().toString())));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void acceptsChunkedBodies() {
    byte[] body = Fixtures.patient().toString().getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(client.uri("/predict"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))));
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void kserveModelStatusAndList() {
    HttpResponse<String> r = client.get("/v1/models/heart");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestClient.json(r))
        .isEqualTo(Json.MAPPER.createObjectNode().put("name", "heart").put("ready", true));
    HttpResponse<String> list = client.get("/v1/models");
    assertThat(TestClient.json(list).get("models").get(0).asText()).isEqualTo("heart");
  }

  @Test
  void kservePredict() {
    HttpResponse<String> r =
        client.post("/v1/models/heart:predict", Fixtures.instances(Fixtures.patient()));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = TestClient.json(r);
    assertThat(body.fieldNames()).toIterable().containsExactly("predictions", "app_version");
    assertThat(body.get("predictions").get(0).get("label").asInt()).isEqualTo(1);
  }

  @Test
  void kserveUnknownModelIs404Json() {
    for (HttpResponse<String> r :
        List.of(
            client.get("/v1/models/other"),
            client.post("/v1/models/other:predict", Fixtures.instances(Fixtures.patient())))) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(TestClient.json(r).get("error").asText()).contains("model 'other' not found");
    }
  }

  @Test
  void kservePredictNeedsInstances() {
    HttpResponse<String> r = client.post("/v1/models/heart:predict", Fixtures.patient().toString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestClient.json(r).get("field").asText()).isEqualTo("instances");
  }

  @Test
  void healthAndReadinessRoutes() {
    for (String path : List.of("/health", "/ready", "/v2/health/live", "/v2/health/ready")) {
      HttpResponse<String> r = client.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    }
    assertThat(TestClient.json(client.get("/ready")).get("ready").asBoolean()).isTrue();
  }

  static Stream<Arguments> badRequests() {
    ObjectNode p = Fixtures.patient();
    return Stream.of(
        Arguments.of("malformed JSON", "{\"age\": ", null, "malformed JSON"),
        Arguments.of("empty body", "", null, "empty"),
        Arguments.of(
            "string for age", p.deepCopy().put("age", "abc").toString(), "age", "must be a number"),
        Arguments.of(
            "numeric string",
            p.deepCopy().put("chol", "233").toString(),
            "chol",
            "must be a number"),
        Arguments.of("null feature", p.deepCopy().putNull("thal").toString(), "thal", "got null"),
        Arguments.of(
            "missing feature", p.deepCopy().without("ca").toString(), "ca", "missing feature ca"),
        Arguments.of(
            "unknown feature", p.deepCopy().put("bmi", 22).toString(), "bmi", "unknown feature"),
        Arguments.of(
            "out of range", p.deepCopy().put("age", 200).toString(), "age", "between 1 and 120"),
        Arguments.of(
            "NaN", p.toString().replace("\"age\":63", "\"age\":NaN"), null, "malformed JSON"),
        Arguments.of(
            "Infinity",
            p.toString().replace("\"age\":63", "\"age\":-Infinity"),
            null,
            "malformed JSON"),
        Arguments.of("empty instances", "{\"instances\": []}", "instances", "must not be empty"),
        Arguments.of(
            "more than 1000 instances",
            Fixtures.instances(
                Stream.generate(Fixtures::patient).limit(1001).toArray(ObjectNode[]::new)),
            "instances",
            "too many instances"),
        Arguments.of(
            "error inside instances",
            Fixtures.instances(p, p, p, p.deepCopy().put("age", "abc")),
            "instances[3].age",
            "must be a number"),
        Arguments.of(
            "1,000-digit number",
            p.toString().replace("\"age\":63", "\"age\":" + "6".repeat(1000)),
            null,
            "JSON number is too long"),
        Arguments.of(
            "50,000-character key",
            p.deepCopy().put("k".repeat(50_000), 1).toString(),
            null,
            "JSON key is too long"),
        Arguments.of(
            "absurd nesting",
            "{\"instances\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}",
            null,
            "nested too deeply"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputIs400WithErrorAndField(String name, String body, String field, String message) {
    HttpResponse<String> r = client.post("/predict", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    JsonNode json = TestClient.json(r);
    assertThat(json.get("error").asText()).contains(message);
    if (field == null) {
      assertThat(json.has("field")).isFalse();
    } else {
      assertThat(json.get("field").asText()).isEqualTo(field);
    }
    assertThat(r.body()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void invalidUtf8InAKeyAlreadySeenIs400() {
    // A key the parser has seen before, then the same key with a byte that is not UTF-8 in it.
    byte[] ok = Fixtures.patient().toString().getBytes(StandardCharsets.UTF_8);
    assertThat(client.post("/predict", ok).statusCode()).isEqualTo(200);
    byte[] bad = Fixtures.patient().toString().getBytes(StandardCharsets.UTF_8);
    int at = Fixtures.patient().toString().indexOf("chol") + 2;
    bad[at] = (byte) 0xff;
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = client.post("/predict", bad);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(TestClient.json(r).get("error").asText()).contains("not valid UTF-8");
    }
  }

  @Test
  void invalidUtf8InAValueIs400() {
    byte[] body = "{\"instances\": [\"\u00ff\"]}".getBytes(StandardCharsets.ISO_8859_1);
    HttpResponse<String> r = client.post("/predict", body);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(TestClient.json(r).get("error").asText()).contains("UTF-8");
  }

  @Test
  void everyResponseNamesTheAppVersion() {
    for (HttpResponse<String> r :
        List.of(
            client.get("/health"),
            client.get("/nope"),
            client.post("/predict", "{"),
            client.get("/metrics"),
            client.get("/v2"))) {
      assertThat(r.headers().firstValue("X-App-Version")).hasValue("dev");
    }
    assertThat(
            TestClient.json(client.post("/predict", Fixtures.patient().toString()))
                .get("app_version")
                .asText())
        .isEqualTo("dev");
    assertThat(
            TestClient.json(
                    client.post("/v1/models/heart:predict", Fixtures.instances(Fixtures.patient())))
                .get("app_version")
                .asText())
        .isEqualTo("dev");
  }

  @Test
  void kserveRootIsLiveness() {
    HttpResponse<String> r = client.get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(TestClient.json(r).get("status").asText()).isEqualTo("alive");
  }

  @Test
  void bodyOverOneMebibyteIs413WithContentLength() {
    String big = "{\"instances\": [" + " ".repeat(Routes.MAX_BODY_BYTES) + "]}";
    HttpResponse<String> r = client.post("/predict", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(TestClient.json(r).get("error").asText()).contains("larger than");
  }

  @Test
  void bodyOverOneMebibyteIs413WhenChunked() {
    byte[] big =
        ("{\"instances\": [" + " ".repeat(2 * Routes.MAX_BODY_BYTES) + "]}")
            .getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(client.uri("/predict"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
    assertThat(r.statusCode()).isEqualTo(413);
    // The connection stays usable for the next request.
    assertThat(client.get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void bodyOfExactlyOneMebibyteIsRead() {
    String body = Fixtures.patient().toString();
    String padded = body + " ".repeat(Routes.MAX_BODY_BYTES - body.length());
    assertThat(client.post("/predict", padded).statusCode()).isEqualTo(200);
  }

  @Test
  void wrongMethodIs405WithAllow() {
    HttpResponse<String> get = client.get("/predict");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(TestClient.json(get).get("error").asText()).contains("use POST");

    HttpResponse<String> post = client.post("/health", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");

    HttpResponse<String> delete =
        client.send(HttpRequest.newBuilder(client.uri("/v1/models/heart:predict")).DELETE());
    assertThat(delete.statusCode()).isEqualTo(405);
    assertThat(delete.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void unknownPathIs404Json() {
    for (String path :
        List.of("/nope", "/predict/", "/v1/models/heart/extra", "/v2/models", "/v1/models/")) {
      HttpResponse<String> r = client.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(TestClient.json(r).get("error").asText()).contains("no route");
    }
  }

  @Test
  void metricsCountRequestsPredictionsAndReadiness() {
    client.post("/predict", Fixtures.instances(Fixtures.patient(), Fixtures.patient()));
    client.post("/predict", "{");
    client.get("/no/such/path/" + System.nanoTime());
    HttpResponse<String> r = client.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    String text = r.body();
    assertThat(text)
        .contains("http_server_requests_seconds_count{route=\"/predict\",status=\"200\"}")
        .contains("http_server_requests_seconds_count{route=\"/predict\",status=\"400\"}")
        .contains(
            "http_server_requests_seconds_bucket{route=\"/predict\",status=\"200\",le=\"0.001\"}")
        .contains("http_server_requests_seconds_count{route=\"unmatched\",status=\"404\"}")
        .contains("inference_predictions_total{label=\"1\",model=\"heart\"}")
        .contains("inference_ready 1")
        .contains("inference_model_info{model=\"heart\",version=\"" + model.version() + "\"} 1")
        .doesNotContain("/no/such/path");
    double positives =
        text.lines()
            .filter(l -> l.startsWith("inference_predictions_total{label=\"1\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    assertThat(positives).isGreaterThanOrEqualTo(2);
  }

  @Test
  void servesConcurrentRequestsCorrectly() throws Exception {
    double expected = model.probability(Fixtures.patientRow());
    String body = Fixtures.patient().toString();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        tasks.add(
            () -> {
              TestClient own = new TestClient(server.port());
              int ok = 0;
              for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = own.post("/predict", body);
                JsonNode p = TestClient.json(r).get("predictions").get(0);
                if (r.statusCode() == 200
                    && p.get("label").asInt() == 1
                    && Math.abs(p.get("probability").asDouble() - expected) < 1e-12) {
                  ok++;
                }
              }
              return ok;
            });
      }
      int total = 0;
      for (Future<Integer> f : pool.invokeAll(tasks)) {
        total += f.get();
      }
      assertThat(total).isEqualTo(1600);
    } finally {
      pool.shutdownNow();
    }
  }
}
