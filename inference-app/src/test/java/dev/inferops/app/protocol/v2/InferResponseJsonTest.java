package dev.inferops.app.protocol.v2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.ModelDescription.Tensor;
import dev.inferops.app.model.Scores;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer written as bytes is the very answer the shared mapper writes, byte for byte. */
class InferResponseJsonTest {
  record Output(String name, String datatype, long[] shape, Object data) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Answer(
      @JsonProperty("model_name") String modelName,
      @JsonProperty("model_version") String modelVersion,
      String id,
      List<Output> outputs) {}

  private static final List<Tensor> TENSORS =
      List.of(
          new Tensor("label", "INT64", new long[] {-1}),
          new Tensor("probabilities", "FP32", new long[] {-1, 2}),
          new Tensor("value", "FP64", new long[] {-1, 1}));

  private static final Scores SCORES =
      new Scores(
          2,
          List.of(
              new long[] {1, -9_000_000_000L},
              new float[] {0.35930216f, 0.64069784f, Float.NaN, 1e-45f},
              new double[] {Double.POSITIVE_INFINITY, -0.1 + 0.2}));

  private static String written(String id, boolean[] wanted) {
    InferResponseJson json = new InferResponseJson("forest \"β\"", "v\u0001", TENSORS);
    return new String(json.reply(id, TENSORS, SCORES, wanted).body(), StandardCharsets.UTF_8);
  }

  private static String mapped(String id, boolean[] wanted) throws Exception {
    List<Output> outputs = new java.util.ArrayList<>();
    long[][] shapes = {{2}, {2, 2}, {2, 1}};
    for (int t = 0; t < TENSORS.size(); t++) {
      if (wanted == null || wanted[t]) {
        Tensor tensor = TENSORS.get(t);
        outputs.add(
            new Output(tensor.name(), tensor.datatype(), shapes[t], SCORES.outputs().get(t)));
      }
    }
    return Json.MAPPER.writeValueAsString(new Answer("forest \"β\"", "v\u0001", id, outputs));
  }

  @Test
  void writesWhatTheMapperWritesWithAnId() throws Exception {
    assertThat(written("ïd\n\"x\"", null)).isEqualTo(mapped("ïd\n\"x\"", null));
  }

  @Test
  void writesWhatTheMapperWritesWithoutAnIdAndWithTheOutputsAskedFor() throws Exception {
    boolean[] wanted = {false, true, true};
    assertThat(written(null, wanted)).isEqualTo(mapped(null, wanted));
    assertThat(written(null, new boolean[3])).isEqualTo(mapped(null, new boolean[3]));
  }
}
