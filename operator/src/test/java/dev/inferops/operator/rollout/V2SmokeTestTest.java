package dev.inferops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.rollout.SmokeClient.Response;
import dev.inferops.operator.testsupport.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The smoke test of an ONNX model: from its V2 metadata, one zero row; no network. */
class V2SmokeTestTest {

  /** What the app answers for heart-forest.onnx: 13 FP32 features, a label and probabilities. */
  private static final String METADATA =
      "{\"name\":\"heart-forest\",\"versions\":[\"3f2a9c1b7d4e\"],\"platform\":\"onnxruntime\","
          + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,13]}],"
          + "\"outputs\":[{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[-1]},"
          + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,2]}]}";

  private static final String ANSWER =
      "{\"model_name\":\"heart-forest\",\"model_version\":\"3f2a9c1b7d4e\",\"outputs\":["
          + "{\"name\":\"label\",\"datatype\":\"INT64\",\"shape\":[1],\"data\":[0]},"
          + "{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[1,2],"
          + "\"data\":[0.9,0.1]}]}";

  private static final URI PREVIEW = URI.create("http://10.96.0.9:80/");

  private static V2SmokeTest.InferRequest request() {
    var parsed = V2SmokeTest.inferRequest("heart-forest", new Response(200, METADATA));
    assertThat(parsed.failure()).isNull();
    return parsed.value();
  }

  @Test
  void theRequestIsOneZeroRowOfTheInputsWidthAndDatatype() {
    var request = request();
    assertThat(request.body())
        .isEqualTo(
            "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,13],"
                + "\"data\":[0,0,0,0,0,0,0,0,0,0,0,0,0]}]}");
    assertThat(request.outputs()).containsExactly("label", "probabilities");
    assertThat(V2SmokeTest.inferUri(PREVIEW, "heart-forest"))
        .hasToString("http://10.96.0.9:80/v2/models/heart-forest/infer");
    assertThat(V2SmokeTest.metadataUri(PREVIEW, "my model/1"))
        .hasToString("http://10.96.0.9:80/v2/models/my%20model%2F1");
    assertThat(V2SmokeTest.modelsUri(PREVIEW)).hasToString("http://10.96.0.9:80/v1/models");
  }

  @Test
  void metadataWithoutAUsableInputOrOutputsFails() {
    assertThat(
            V2SmokeTest.inferRequest("m", new Response(404, "{\"error\":\"no model\"}")).failure())
        .isEqualTo("HTTP 404: {\"error\":\"no model\"}");
    assertThat(
            V2SmokeTest.inferRequest(
                    "m",
                    new Response(
                        200,
                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP32\",\"shape\":[-1,-1]}],"
                            + "\"outputs\":[{\"name\":\"y\"}]}"))
                .failure())
        .isEqualTo("input x has shape [-1,-1]: not a fixed row width");
    assertThat(
            V2SmokeTest.inferRequest(
                    "m",
                    new Response(
                        200,
                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"BYTES\",\"shape\":[-1,1]}],"
                            + "\"outputs\":[{\"name\":\"y\"}]}"))
                .failure())
        .startsWith("input {\"name\":\"x\",\"datatype\":\"BYTES\"");
    assertThat(
            V2SmokeTest.inferRequest(
                    "m",
                    new Response(
                        200,
                        "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[-1,2]}],"
                            + "\"outputs\":[]}"))
                .failure())
        .startsWith("the metadata declares no outputs");
  }

  @Test
  void anAnswerPassesWithEveryDeclaredOutputForABatchOfOne() {
    var request = request();
    assertThat(V2SmokeTest.check(new Response(200, ANSWER), request)).isEmpty();
    assertThat(V2SmokeTest.check(new Response(400, "{\"error\":\"bad\"}"), request))
        .contains("HTTP 400: {\"error\":\"bad\"}");
    assertThat(
            V2SmokeTest.check(
                new Response(200, ANSWER.replace("\"name\":\"label\"", "\"name\":\"class\"")),
                request))
        .get()
        .asString()
        .startsWith("output label missing in");
    assertThat(
            V2SmokeTest.check(
                new Response(
                    200,
                    ANSWER.replace(
                        "\"shape\":[1,2],\"data\":[0.9,0.1]",
                        "\"shape\":[2,2],\"data\":[1,2,3,4]")),
                request))
        .contains("output probabilities has shape [2,2], not a batch of 1");
    assertThat(
            V2SmokeTest.check(
                new Response(200, ANSWER.replace("\"data\":[0.9,0.1]", "\"data\":[0.9]")), request))
        .contains("output probabilities has 1 values for shape [1,2]");
  }

  @Test
  void theTesterAsksTheModelsNameAndMetadataThenInfersAZeroRow() {
    List<String> sent = new ArrayList<>();
    SmokeClient app =
        new SmokeClient() {
          @Override
          public Response post(URI uri, String body, Duration timeout) {
            sent.add("POST " + uri.getPath() + " " + body);
            return new Response(200, ANSWER);
          }

          @Override
          public Response get(URI uri, Duration timeout) {
            sent.add("GET " + uri.getPath());
            return uri.getPath().equals("/v1/models")
                ? new Response(200, "{\"models\":[\"heart-forest\"]}")
                : new Response(200, METADATA);
          }
        };
    InferenceService onnx =
        Fixtures.inferenceService(
            spec -> spec.setModel(Fixtures.model("heart-onnx").withKey("model.onnx").build()));

    var result = new SmokeTester(app).run(onnx, PREVIEW, "rev1", Optional.empty(), Instant.EPOCH);

    assertThat(sent)
        .containsExactly(
            "GET /v1/models",
            "GET /v2/models/heart-forest",
            "POST /v2/models/heart-forest/infer " + request().body());
    assertThat(result.getPassed()).isTrue();
    assertThat(result.getAnswered()).isTrue();
    assertThat(result.getMessage())
        .isEqualTo(
            "a zero row of input FP32 [1, 13] answered with every output (label,"
                + " probabilities) by POST http://10.96.0.9:80/v2/models/heart-forest/infer");
  }

  @Test
  void aHeartOnlyClientGetsNoAnswerForAnOnnxModelAndAHeartModelKeepsItsRows() {
    List<String> sent = new ArrayList<>();
    SmokeTester heartOnly =
        new SmokeTester(
            (uri, body, timeout) -> {
              sent.add(uri + " " + body);
              return new Response(200, "{\"predictions\":[{\"label\":1,\"probability\":0.8}]}");
            });
    InferenceService onnx =
        Fixtures.inferenceService(
            spec -> spec.setModel(Fixtures.modelFromClaim("models", "m.onnx").build()));
    var result = heartOnly.run(onnx, PREVIEW, "r", Optional.empty(), Instant.EPOCH);
    assertThat(result.getAnswered()).isFalse();
    assertThat(result.getMessage())
        .isEqualTo(
            "GET http://10.96.0.9:80/v1/models failed: "
                + new IOException("this smoke client sends no GET requests"));

    InferenceService json =
        Fixtures.inferenceService(
            spec -> spec.setModel(Fixtures.modelFromUrl("https://h/heart.json", null).build()));
    assertThat(heartOnly.run(json, PREVIEW, "r", Optional.empty(), Instant.EPOCH).getPassed())
        .isTrue();
    assertThat(sent)
        .singleElement()
        .asString()
        .startsWith(PREVIEW + "predict {\"instances\":[{\"age\":63");
  }
}
