package dev.inferops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.rollout.SmokeClient.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The smoke test's rows and checks, with a fake client: no network. */
class SmokeTestTest {

  private static final String GOOD =
      "{\"predictions\":[{\"label\":1,\"probability\":0.8}],\"model\":\"heart\"}";

  @Test
  void defaultRowIsTheExamplePatientWithWholeCodesWrittenAsIntegers() {
    var rows = SmokeTest.instances(List.of(), Optional.empty());
    String body = SmokeTest.body(rows);
    assertThat(body).startsWith("{\"instances\":[{\"age\":63,\"sex\":1,\"cp\":3");
    assertThat(body).contains("\"oldpeak\":2.3");
  }

  @Test
  void aModelWithOtherFeaturesGetsARowOfItsRoundedMeans() {
    var rows =
        SmokeTest.instances(
            List.of(), Optional.of("{\"features\":[\"a\",\"b\"],\"means\":[1.4,2.6]}"));
    assertThat(rows).containsExactly(Map.of("a", 1.0, "b", 3.0));
  }

  @Test
  void checksStatusJsonShapeAndExpectedLabels() {
    assertThat(SmokeTest.check(new Response(200, GOOD), 1, List.of())).isEmpty();
    assertThat(SmokeTest.check(new Response(200, GOOD), 1, List.of(1))).isEmpty();
    assertThat(SmokeTest.check(new Response(200, GOOD), 1, List.of(0)))
        .get()
        .asString()
        .contains("instance 0: expected label 0");
    assertThat(SmokeTest.check(new Response(503, "{\"error\":\"starting\"}"), 1, List.of()))
        .get()
        .asString()
        .isEqualTo("HTTP 503: {\"error\":\"starting\"}");
    assertThat(SmokeTest.check(new Response(200, "<html>"), 1, List.of()))
        .get()
        .asString()
        .startsWith("malformed JSON");
    assertThat(SmokeTest.check(new Response(200, "{\"x\":1}"), 1, List.of()))
        .get()
        .asString()
        .startsWith("no predictions");
    assertThat(SmokeTest.check(new Response(200, GOOD), 2, List.of()))
        .get()
        .asString()
        .isEqualTo("1 predictions for 2 instances");
  }

  @Test
  void testerSendsTheConfiguredRowsToThePreviewAndReportsWhatCameBack() {
    List<String> sent = new ArrayList<>();
    SmokeTester tester =
        new SmokeTester(
            (uri, body, timeout) -> {
              sent.add(uri + " " + body);
              return new Response(500, "{\"error\":\"model broken\"}");
            });
    InferenceService is =
        new InferenceServiceBuilder()
            .withNewSpec()
            .withNewStrategy()
            .withType(StrategyType.BlueGreen)
            .withNewBlueGreen()
            .withNewSmokeTest()
            .withInstances(List.of(Map.of("x", 1.0)))
            .endSmokeTest()
            .endBlueGreen()
            .endStrategy()
            .endSpec()
            .build();

    var result =
        tester.run(is, URI.create("http://10.96.0.9:80/"), "rev1", Optional.empty(), Instant.EPOCH);

    assertThat(sent).containsExactly("http://10.96.0.9:80/predict {\"instances\":[{\"x\":1}]}");
    assertThat(result.getPassed()).isFalse();
    assertThat(result.getAnswered()).as("a wrong answer is an answer").isTrue();
    assertThat(result.getRevision()).isEqualTo("rev1");
    assertThat(result.getMessage())
        .isEqualTo("POST http://10.96.0.9:80/predict: HTTP 500: {\"error\":\"model broken\"}");
  }

  @Test
  void anUnreachablePreviewFailsWithoutAnAnswer() {
    SmokeTester tester =
        new SmokeTester(
            (uri, body, timeout) -> {
              throw new java.net.ConnectException("refused");
            });
    var result =
        tester.run(
            new InferenceService(),
            URI.create("http://10.96.0.9:80/"),
            "r",
            Optional.empty(),
            Instant.EPOCH);
    assertThat(result.getPassed()).isFalse();
    assertThat(result.getAnswered()).isFalse();
    assertThat(result.getMessage()).contains("refused");
  }
}
