package dev.inferops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpecBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestSpec;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.rollout.SmokeClient.Response;
import dev.inferops.operator.testsupport.Fixtures;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The smoke test of an ONNX model with the user's instances, through KServe V1; no network. */
class V1SmokeTestTest {

  /** A classifier as the app describes it: a label per row and two probabilities. */
  private static final String CLASSIFIER =
      "{\"name\":\"heart-forest\",\"versions\":[\"1\"],\"platform\":\"onnxruntime\","
          + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,2]}],"
          + "\"outputs\":[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
          + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]}";

  /** A regressor: one FP32 value per row, written by the app as an array of one. */
  private static final String REGRESSOR =
      "{\"name\":\"price\",\"versions\":[\"1\"],\"platform\":\"onnxruntime\","
          + "\"inputs\":[{\"name\":\"float_input\",\"datatype\":\"FP32\",\"shape\":[-1,2]}],"
          + "\"outputs\":[{\"name\":\"variable\",\"datatype\":\"FP32\",\"shape\":[-1,1]}]}";

  private static final String TWO_LABELS =
      "{\"predictions\":[{\"label\":1,\"probabilities\":[0.2,0.8]},"
          + "{\"label\":0,\"probabilities\":[0.7,0.3]}]}";

  private static final URI PREVIEW = URI.create("http://10.96.0.9:80/");

  private static final List<Map<String, Double>> TWO_ROWS = List.of(row(63, 1.5), row(40, 0));

  private static Map<String, Double> row(double age, double oldpeak) {
    Map<String, Double> row = new LinkedHashMap<>();
    row.put("age", age);
    row.put("oldpeak", oldpeak);
    return row;
  }

  private static V1SmokeTest.PredictRequest request(
      String metadata, List<Integer> labels, List<Double> values) {
    var parsed =
        V1SmokeTest.predictRequest(
            "m", new Response(200, metadata), TWO_ROWS, labels, values, 1e-4);
    assertThat(parsed.failure()).isNull();
    return parsed.value();
  }

  private static Optional<String> check(String answer, V1SmokeTest.PredictRequest request) {
    return V1SmokeTest.check(new Response(200, answer), request);
  }

  @Test
  void theBodyIsTheInstancesKeyedByFeatureNameToTheV1PredictRoute() {
    var request = request(CLASSIFIER, List.of(), List.of());
    assertThat(request.body())
        .isEqualTo("{\"instances\":[{\"age\":63,\"oldpeak\":1.5},{\"age\":40,\"oldpeak\":0}]}");
    assertThat(V1SmokeTest.predictUri(PREVIEW, "heart forest"))
        .hasToString("http://10.96.0.9:80/v1/models/heart%20forest:predict");
    assertThat(
            V1SmokeTest.predictUri(
                URI.create(
                    "https://k8s:6443/api/v1/namespaces/ml/services/http:h-preview:80/proxy/"),
                "m"))
        .as("under the API server's service proxy")
        .hasToString(
            "https://k8s:6443/api/v1/namespaces/ml/services/http:h-preview:80/proxy/v1/models/m:predict");
    assertThat(request.labelOutput()).as("nothing expected of it").isNull();
  }

  @Test
  void expectedLabelsAreComparedWithTheFirstInt64OutputOfOneValuePerRow() {
    var request = request(CLASSIFIER, List.of(1, 0), List.of());
    assertThat(request.labelOutput().name()).isEqualTo("label");
    assertThat(check(TWO_LABELS, request)).isEmpty();

    assertThat(check(TWO_LABELS, request(CLASSIFIER, List.of(1, 1), List.of())))
        .contains("instance 1: output label expected label 1, got 0");
  }

  @Test
  void expectedValuesPassWithinTheToleranceOnly() {
    var request = request(REGRESSOR, List.of(), List.of(151.25, 98.0));
    assertThat(request.valueOutput().name()).isEqualTo("variable");
    assertThat(
            check(
                "{\"predictions\":[{\"variable\":[151.25005]},{\"variable\":[97.99991]}]}",
                request))
        .isEmpty();
    assertThat(
            check("{\"predictions\":[{\"variable\":[151.25]},{\"variable\":[98.0002]}]}", request))
        .contains("instance 1: output variable expected 98.0 within 1.0E-4, got 98.0002");
  }

  @Test
  void aScalarValueOfShapeMinusOneIsAValueTooButNotTheLabel() {
    String metadata =
        CLASSIFIER.replace(
            "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}",
            "{\"name\":\"score\",\"datatype\":\"FP32\",\"shape\":[-1]}");
    var request = request(metadata, List.of(), List.of(0.5, 0.25));
    assertThat(request.valueOutput().name()).isEqualTo("score");
    assertThat(
            check(
                "{\"predictions\":[{\"label\":1,\"score\":0.5},{\"label\":0,\"score\":0.5}]}",
                request))
        .contains("instance 1: output score expected 0.25 within 1.0E-4, got 0.5");
  }

  @Test
  void expectationsOfAnOutputTheModelDoesNotHaveFailBeforeAnythingIsSent() {
    var noLabel =
        V1SmokeTest.predictRequest(
            "price", new Response(200, REGRESSOR), TWO_ROWS, List.of(1, 0), List.of(), 1e-4);
    assertThat(noLabel.failure())
        .isEqualTo(
            "expectedLabels is set but the model has no label output (an INT64 output of shape"
                + " [-1]); its outputs: [variable FP32 [-1, 1]]");

    var noValue =
        V1SmokeTest.predictRequest(
            "m", new Response(200, CLASSIFIER), TWO_ROWS, List.of(), List.of(1.0, 2.0), 1e-4);
    assertThat(noValue.failure())
        .startsWith("expectedValues is set but the model has no output with one value per row");
  }

  @Test
  void aRejectionByTheAppQuotesItsMessageAndField() {
    var request = request(CLASSIFIER, List.of(), List.of());
    assertThat(
            V1SmokeTest.check(
                new Response(
                    400,
                    "{\"error\":\"unknown feature 'age'; expected [x0, x1]\","
                        + "\"field\":\"instances[0].age\"}"),
                request))
        .contains(
            "HTTP 400, the app rejected the instances: \"unknown feature 'age'; expected [x0,"
                + " x1]\" (field instances[0].age)");
    assertThat(V1SmokeTest.check(new Response(400, "bad request"), request))
        .contains("HTTP 400, the app rejected the instances: bad request");
  }

  @Test
  void otherStatusesCountsAndShapesFail() {
    var request = request(CLASSIFIER, List.of(), List.of());
    assertThat(V1SmokeTest.check(new Response(503, "{\"error\":\"not ready\"}"), request))
        .contains("HTTP 503: {\"error\":\"not ready\"}");
    assertThat(check("{\"predictions\":[{\"label\":1,\"probabilities\":[0.2,0.8]}]}", request))
        .contains("1 predictions for 2 instances");
    assertThat(check(TWO_LABELS.replace(",\"probabilities\":[0.7,0.3]", ""), request))
        .contains("instance 1: output probabilities missing");
    assertThat(check(TWO_LABELS.replace("[0.7,0.3]", "[0.7]"), request))
        .get()
        .asString()
        .startsWith("instance 1: output probabilities is [0.7], not an array of 2 values");
    assertThat(check(TWO_LABELS.replace("\"label\":0", "\"label\":0.5"), request))
        .get()
        .asString()
        .startsWith("instance 1: output label is 0.5, not integral");
    assertThat(check(TWO_LABELS.replace("\"label\":1", "\"label\":\"1\""), request))
        .get()
        .asString()
        .startsWith("instance 0: output label is \"1\", not integral");
  }

  private static InferenceService onnx(Consumer<SmokeTestSpec> smokeTest) {
    SmokeTestSpec spec = new SmokeTestSpec();
    smokeTest.accept(spec);
    return Fixtures.inferenceService(
        s -> {
          s.setModel(Fixtures.model("price-onnx").withKey("model.onnx").build());
          s.setStrategy(
              new DeploymentStrategySpecBuilder()
                  .withType(StrategyType.BlueGreen)
                  .withNewBlueGreen()
                  .withSmokeTest(spec)
                  .endBlueGreen()
                  .build());
        });
  }

  /** Answers GETs with the model's name and metadata, and POSTs with {@code predict}. */
  private static SmokeClient app(List<String> sent, String metadata, Response predict) {
    return new SmokeClient() {
      @Override
      public Response post(URI uri, String body, Duration timeout) {
        sent.add("POST " + uri.getRawPath() + " " + body);
        return predict;
      }

      @Override
      public Response get(URI uri, Duration timeout) {
        sent.add("GET " + uri.getPath());
        return uri.getPath().equals("/v1/models")
            ? new Response(200, "{\"models\":[\"price\"]}")
            : new Response(200, metadata);
      }
    };
  }

  @Test
  void theTesterSendsTheInstancesOfAnOnnxModelToItsV1PredictRoute() {
    List<String> sent = new ArrayList<>();
    InferenceService is =
        onnx(
            s -> {
              s.setInstances(TWO_ROWS);
              s.setExpectedValues(List.of(151.25, 98.0));
              s.setTolerance(0.01);
            });
    SmokeClient client =
        app(
            sent,
            REGRESSOR,
            new Response(
                200, "{\"predictions\":[{\"variable\":[151.25]},{\"variable\":[98.005]}]}"));

    var result = new SmokeTester(client).run(is, PREVIEW, "rev1", Optional.empty(), Instant.EPOCH);

    assertThat(sent)
        .containsExactly(
            "GET /v1/models",
            "GET /v2/models/price",
            "POST /v1/models/price:predict "
                + "{\"instances\":[{\"age\":63,\"oldpeak\":1.5},{\"age\":40,\"oldpeak\":0}]}");
    assertThat(result.getPassed()).isTrue();
    assertThat(result.getMessage())
        .isEqualTo(
            "2 instance(s) answered as expected by POST"
                + " http://10.96.0.9:80/v1/models/price:predict");
  }

  @Test
  void theTesterFailsWithTheAppsRejectionAndWithAModelThatHasNoLabelOutput() {
    List<String> sent = new ArrayList<>();
    var rejected =
        new SmokeTester(
                app(
                    sent,
                    REGRESSOR,
                    new Response(
                        400,
                        "{\"error\":\"unknown feature 'age'; expected [x0, x1]\","
                            + "\"field\":\"instances[0].age\"}")))
            .run(
                onnx(s -> s.setInstances(TWO_ROWS)), PREVIEW, "r", Optional.empty(), Instant.EPOCH);
    assertThat(rejected.getPassed()).isFalse();
    assertThat(rejected.getAnswered()).as("a rejection is an answer").isTrue();
    assertThat(rejected.getMessage())
        .isEqualTo(
            "POST http://10.96.0.9:80/v1/models/price:predict: HTTP 400, the app rejected the"
                + " instances: \"unknown feature 'age'; expected [x0, x1]\" (field"
                + " instances[0].age)");

    sent.clear();
    var noLabel =
        new SmokeTester(app(sent, REGRESSOR, new Response(200, "{}")))
            .run(
                onnx(
                    s -> {
                      s.setInstances(TWO_ROWS);
                      s.setExpectedLabels(List.of(1, 0));
                    }),
                PREVIEW,
                "r",
                Optional.empty(),
                Instant.EPOCH);
    assertThat(noLabel.getPassed()).isFalse();
    assertThat(noLabel.getMessage())
        .startsWith(
            "GET http://10.96.0.9:80/v2/models/price: expectedLabels is set but the model has no"
                + " label output");
    assertThat(sent).as("nothing POSTed").containsExactly("GET /v1/models", "GET /v2/models/price");
  }

  @Test
  void withoutInstancesAnOnnxModelStillGetsTheZeroRowAndExpectationsAreIgnored() {
    List<String> sent = new ArrayList<>();
    var result =
        new SmokeTester(
                app(
                    sent,
                    REGRESSOR,
                    new Response(
                        200,
                        "{\"outputs\":[{\"name\":\"variable\",\"datatype\":\"FP32\","
                            + "\"shape\":[1,1],\"data\":[3.5]}]}")))
            .run(
                onnx(s -> s.setExpectedLabels(List.of(1))),
                PREVIEW,
                "r",
                Optional.empty(),
                Instant.EPOCH);
    assertThat(sent)
        .containsExactly(
            "GET /v1/models",
            "GET /v2/models/price",
            "POST /v2/models/price/infer {\"inputs\":[{\"name\":\"float_input\","
                + "\"datatype\":\"FP32\",\"shape\":[1,2],\"data\":[0,0]}]}");
    assertThat(result.getPassed()).isTrue();
    assertThat(result.getMessage()).startsWith("a zero row of float_input FP32 [1, 2]");
  }
}
