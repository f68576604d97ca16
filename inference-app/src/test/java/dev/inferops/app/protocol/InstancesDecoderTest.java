package dev.inferops.app.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.app.Fixtures;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.Feature;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.routing.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstancesDecoderTest {
  private final InstancesDecoder decoder =
      new InstancesDecoder(LogisticRegressionModel.DESCRIPTION);

  private double[][] parse(String body, boolean allowSingle) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return decoder.decode(bytes, bytes.length, allowSingle);
  }

  private ApiException reject(String body, boolean allowSingle) {
    return catchThrowableOfType(ApiException.class, () -> parse(body, allowSingle));
  }

  private static String single(Consumer<ObjectNode> change) {
    ObjectNode p = Fixtures.patient();
    change.accept(p);
    return p.toString();
  }

  @Test
  void acceptsOneObjectInFeatureOrder() {
    double[][] rows = parse(Fixtures.patient().toString(), true);
    assertThat(rows).hasDimensions(1, Feature.COUNT);
    assertThat(rows[0]).containsExactly(Fixtures.patientRow());
  }

  @Test
  void acceptsRowsOfNumbersInColumnOrderBesideObjects() {
    String row = java.util.Arrays.toString(Fixtures.patientRow());
    double[][] rows = parse("{\"instances\": [" + row + ", " + Fixtures.patient() + "]}", false);
    assertThat(rows).hasDimensions(2, Feature.COUNT);
    assertThat(rows[0]).containsExactly(Fixtures.patientRow());
    assertThat(rows[1]).containsExactly(Fixtures.patientRow());
  }

  @Test
  void acceptsInstancesInAnyKeyOrder() {
    ObjectNode shuffled = Json.MAPPER.createObjectNode();
    ObjectNode p = Fixtures.patient();
    var names = new java.util.ArrayList<>(Feature.names());
    java.util.Collections.reverse(names);
    names.forEach(n -> shuffled.set(n, p.get(n)));
    double[][] rows = parse(Fixtures.instances(p, shuffled), false);
    assertThat(rows).hasNumberOfRows(2);
    assertThat(rows[1]).containsExactly(Fixtures.patientRow());
  }

  @Test
  void acceptsWholeNumbersWrittenAsDecimalsForCategories() {
    assertThat(parse(single(p -> p.put("sex", 1.0)), true)[0][Feature.SEX.ordinal()])
        .isEqualTo(1.0);
  }

  @Test
  void acceptsBoundaryValues() {
    assertThat(parse(single(p -> p.put("age", 120).put("oldpeak", 0).put("ca", 4)), true))
        .hasNumberOfRows(1);
  }

  static Stream<Arguments> badBodies() {
    ObjectNode p = Fixtures.patient();
    String tooMany =
        Fixtures.instances(
            java.util.stream.Stream.generate(Fixtures::patient)
                .limit(1001)
                .toArray(ObjectNode[]::new));
    return Stream.of(
        Arguments.of("empty body", "", null, "empty"),
        Arguments.of("whitespace body", "   ", null, "empty"),
        Arguments.of("malformed JSON", "{\"age\": 63,", null, "malformed JSON"),
        Arguments.of("trailing garbage", p + " {}", null, "malformed JSON"),
        Arguments.of("not an object", "[1, 2]", null, "must be a JSON object"),
        Arguments.of("bare number", "42", null, "must be a JSON object"),
        Arguments.of(
            "NaN literal",
            single(x -> x.put("age", 1)).replace(":1,", ":NaN,"),
            null,
            "malformed JSON"),
        Arguments.of(
            "Infinity literal",
            single(x -> x.put("age", 1)).replace(":1,", ":Infinity,"),
            null,
            "malformed JSON"),
        Arguments.of(
            "overflowing number",
            single(x -> x.put("age", 1)).replace(":1,", ":1e999,"),
            "age",
            "finite"),
        Arguments.of(
            "string number",
            single(x -> x.put("age", "63")),
            "age",
            "must be a number, got a string"),
        Arguments.of(
            "string word",
            single(x -> x.put("age", "abc")),
            "age",
            "must be a number, got a string"),
        Arguments.of("null", single(x -> x.putNull("chol")), "chol", "got null"),
        Arguments.of("boolean", single(x -> x.put("fbs", true)), "fbs", "got a boolean"),
        Arguments.of("nested object", single(x -> x.putObject("cp")), "cp", "got an object"),
        Arguments.of("array", single(x -> x.putArray("thal")), "thal", "got an array"),
        Arguments.of(
            "missing feature",
            single(x -> x.remove("thalach")),
            "thalach",
            "missing feature thalach"),
        Arguments.of(
            "missing features",
            single(x -> x.remove(java.util.List.of("ca", "age"))),
            "age",
            "missing features age, ca"),
        Arguments.of("empty object", "{}", "age", "missing features"),
        Arguments.of(
            "unknown feature",
            single(x -> x.put("height", 180)),
            "height",
            "unknown feature 'height'"),
        Arguments.of(
            "duplicate feature",
            p.toString().replace("{", "{\"age\":50,"),
            null,
            "Duplicate field 'age'"),
        Arguments.of("age too low", single(x -> x.put("age", 0)), "age", "between 1 and 120"),
        Arguments.of("age too high", single(x -> x.put("age", 121)), "age", "between 1 and 120"),
        Arguments.of("sex out of range", single(x -> x.put("sex", 2)), "sex", "between 0 and 1"),
        Arguments.of("cp out of range", single(x -> x.put("cp", 4)), "cp", "between 0 and 3"),
        Arguments.of(
            "trestbps low", single(x -> x.put("trestbps", 49)), "trestbps", "between 50 and 250"),
        Arguments.of("chol high", single(x -> x.put("chol", 701)), "chol", "between 100 and 700"),
        Arguments.of("fbs negative", single(x -> x.put("fbs", -1)), "fbs", "between 0 and 1"),
        Arguments.of(
            "restecg high", single(x -> x.put("restecg", 3)), "restecg", "between 0 and 2"),
        Arguments.of(
            "thalach high", single(x -> x.put("thalach", 251)), "thalach", "between 50 and 250"),
        Arguments.of("exang high", single(x -> x.put("exang", 5)), "exang", "between 0 and 1"),
        Arguments.of(
            "oldpeak high", single(x -> x.put("oldpeak", 10.5)), "oldpeak", "between 0 and 10"),
        Arguments.of("slope high", single(x -> x.put("slope", 3)), "slope", "between 0 and 2"),
        Arguments.of("ca high", single(x -> x.put("ca", 5)), "ca", "between 0 and 4"),
        Arguments.of("thal high", single(x -> x.put("thal", 4)), "thal", "between 0 and 3"),
        Arguments.of("fractional category", single(x -> x.put("cp", 1.5)), "cp", "whole number"),
        Arguments.of("instances not array", "{\"instances\": {}}", "instances", "must be an array"),
        Arguments.of("instances null", "{\"instances\": null}", "instances", "must be an array"),
        Arguments.of("empty instances", "{\"instances\": []}", "instances", "must not be empty"),
        Arguments.of("too many instances", tooMany, "instances", "too many instances: 1001"),
        Arguments.of(
            "instance not object",
            "{\"instances\": [" + p + ", 7]}",
            "instances[1]",
            "must be an object"),
        Arguments.of(
            "instance row of too few numbers",
            "{\"instances\": [[63, 1, 3]]}",
            "instances[0]",
            "has 3 values but the model takes 13"),
        Arguments.of(
            "instance row with a string",
            "{\"instances\": [[63, 1, 3, 145, 233, 1, 0, \"150\", 0, 2.3, 0, 0, 1]]}",
            "instances[0][7]",
            "instances[0][7] (thalach) must be a number, got a string"),
        Arguments.of(
            "bad field in instance",
            Fixtures.instances(
                p, p, p, single(x -> x.put("age", "abc")).transform(InstancesDecoderTest::node)),
            "instances[3].age",
            "must be a number"),
        Arguments.of(
            "missing field in instance",
            Fixtures.instances(p, node(single(x -> x.remove("ca")))),
            "instances[1].ca",
            "missing feature ca"),
        Arguments.of(
            "extra field next to instances",
            "{\"instances\": [" + p + "], \"foo\": 1}",
            "foo",
            "unknown field 'foo'"),
        Arguments.of(
            "absurd nesting",
            "{\"instances\": " + "[".repeat(5000) + "]".repeat(5000) + "}",
            null,
            "nested too deeply"));
  }

  private static ObjectNode node(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void rejectsBadInputWithAClearMessageAndField(
      String name, String body, String field, String message) {
    ApiException e = reject(body, true);
    assertThat(e).as(name).isNotNull();
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.getMessage()).contains(message);
    assertThat(e.field()).isEqualTo(field);
  }

  @Test
  void kserveFormRequiresInstances() {
    ApiException e = reject(Fixtures.patient().toString(), false);
    assertThat(e.field()).isEqualTo("instances");
    assertThat(e.getMessage()).contains("missing field 'instances'");
  }

  @Test
  void acceptsExactlyTheMaximumNumberOfInstances() {
    String body =
        Fixtures.instances(
            Stream.generate(Fixtures::patient)
                .limit(DataPlane.MAX_BATCH)
                .toArray(ObjectNode[]::new));
    assertThat(parse(body, false)).hasNumberOfRows(DataPlane.MAX_BATCH);
  }
}
