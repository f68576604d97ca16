package dev.inferops.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.abort;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.Json;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.Scores;
import dev.inferops.app.model.onnx.OnnxModel;
import dev.inferops.app.model.onnx.Oracle;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KServe's Python SDK and Triton's HTTP client, unchanged, read the metadata of the server and
 * infer through it: with a user's ONNX model and with the built-in one. {@code
 * hack/python-clients.sh} makes their venv once (pinned in src/test/python/requirements.txt) and
 * runs src/test/python/clients_check.py, which sends each row as its own request with each client.
 */
class PythonClientsTest {
  /** The first run installs both clients into the venv: a few minutes on a busy machine. */
  private static final Duration CLIENTS_TIMEOUT = Duration.ofMinutes(15);

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(60);
  private static final String[] CLIENTS = {"kserve", "triton"};

  @TempDir Path dir;

  @Test
  void bothClientsReadTheOnnxModelAndGetWhatScikitLearnPredicts() throws Exception {
    Path script = scriptOrSkip();
    Oracle oracle = Oracle.of("heart-forest");
    double[][] rows = Arrays.copyOf(oracle.inputs(), 2);
    JsonNode answer = runClients(script, OnnxModel.load(oracle.file(), 512), rows);

    for (String client : CLIENTS) {
      JsonNode c = answer.get(client);
      assertReadyWithMetadata(c, client, "heart-forest", "input", "FP32", "probabilities");
      // Each row with JSON tensors, then with the clients' default, binary tensor data.
      assertThat(c.get("results")).as("%s results", client).hasSize(2 * rows.length);
      for (int i = 0; i < 2 * rows.length; i++) {
        int r = i % rows.length;
        JsonNode result = c.get("results").get(i);
        assertThat(result.get("label").toString())
            .as("%s row %d label", client, r)
            .isEqualTo("[" + oracle.labels()[r] + "]");
        JsonNode p = result.get("probabilities");
        assertThat(p.size()).as("%s row %d probabilities", client, r).isEqualTo(2);
        for (int k = 0; k < 2; k++) {
          assertThat(p.get(k).asDouble())
              .as("%s row %d probability of class %d", client, r, k)
              .isCloseTo(oracle.probabilities()[r][k], within(Oracle.TOLERANCE));
        }
      }
    }
  }

  @Test
  void bothClientsReadTheBuiltInModelAndGetItsPredictions() throws Exception {
    Path script = scriptOrSkip();
    LogisticRegressionModel model = LogisticRegressionModel.loadBundled();
    double[][] rows = Arrays.copyOf(Oracle.of("heart-forest").inputs(), 2);
    Scores expected = model.predict(rows);
    JsonNode answer = runClients(script, model, rows);

    for (String client : CLIENTS) {
      JsonNode c = answer.get(client);
      assertReadyWithMetadata(c, client, "heart", "input-0", "FP64", "probability");
      assertThat(c.get("results")).as("%s results", client).hasSize(2 * rows.length);
      for (int i = 0; i < 2 * rows.length; i++) {
        int r = i % rows.length;
        JsonNode result = c.get("results").get(i);
        assertThat(result.get("label").toString())
            .as("%s row %d label", client, r)
            .isEqualTo("[" + expected.label(0, r) + "]");
        assertThat(result.get("probability").get(0).asDouble())
            .as("%s row %d probability", client, r)
            .isCloseTo(((double[]) expected.outputs().get(1))[r], within(1e-12));
      }
    }
  }

  private static void assertReadyWithMetadata(
      JsonNode c, String client, String model, String input, String datatype, String output) {
    assertThat(c.get("server_live").asBoolean()).as("%s: server live", client).isTrue();
    assertThat(c.get("server_ready").asBoolean()).as("%s: server ready", client).isTrue();
    assertThat(c.get("model_ready").asBoolean()).as("%s: model ready", client).isTrue();
    JsonNode metadata = c.get("metadata");
    assertThat(metadata.get("name").asText()).as("%s: metadata name", client).isEqualTo(model);
    JsonNode in = metadata.get("inputs").get(0);
    assertThat(in.get("name").asText()).as("%s: input name", client).isEqualTo(input);
    assertThat(in.get("datatype").asText()).as("%s: input datatype", client).isEqualTo(datatype);
    assertThat(in.get("shape").toString()).as("%s: input shape", client).isEqualTo("[-1,13]");
    assertThat(metadata.get("outputs").get(1).get("name").asText())
        .as("%s: second output", client)
        .isEqualTo(output);
  }

  /** Serves {@code model} on 127.0.0.1 and runs both clients against it; their one JSON line. */
  private JsonNode runClients(Path script, Model model, double[][] rows) throws Exception {
    InferenceServer server = Fixtures.startServer(Map.of(), model);
    Path out = dir.resolve("clients.out");
    Path err = dir.resolve("clients.err");
    int status;
    List<String> command;
    try {
      command =
          List.of(
              "bash",
              script.toString(),
              "http://127.0.0.1:" + server.port(),
              model.name(),
              Json.MAPPER.writeValueAsString(rows));
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      status =
          Processes.awaitExit(
              p, String.join(" ", command), CLIENTS_TIMEOUT, () -> read(out) + read(err));
    } finally {
      server.stop(Duration.ZERO);
    }
    String output = read(out);
    assertThat(status)
        .as("`%s` failed:%n%s%s", String.join(" ", command), output, read(err))
        .isZero();
    List<String> lines = output.strip().lines().toList();
    return Json.MAPPER.readTree(lines.get(lines.size() - 1));
  }

  /**
   * hack/python-clients.sh, or a skip where python3 cannot make a venv with pip. Where it can, the
   * test runs: a failed install of the clients fails it (as PromtoolTest fails where promtool could
   * be installed), since a skip there would hide a broken install step.
   */
  private Path scriptOrSkip() throws Exception {
    Path script = null;
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("hack/python-clients.sh"))) {
        script = d.resolve("hack/python-clients.sh");
        break;
      }
    }
    assertThat(script)
        .as("hack/python-clients.sh above " + Path.of("").toAbsolutePath())
        .isNotNull();
    if (onPath("python3") == null) {
      abort("python3 is not on PATH, so KServe's and Triton's Python clients cannot be installed");
    }
    // A venv gets its pip from ensurepip, which Debian splits off into python3-venv.
    Path probe = dir.resolve("python3-probe.out");
    Process p =
        new ProcessBuilder("python3", "-c", "import venv, ensurepip")
            .redirectErrorStream(true)
            .redirectOutput(probe.toFile())
            .start();
    if (Processes.awaitExit(
            p, "python3 -c 'import venv, ensurepip'", PROBE_TIMEOUT, () -> read(probe))
        != 0) {
      abort(
          "python3 cannot make a venv with pip here (no venv or ensurepip; Debian's python3-venv"
              + " brings them), so the Python clients cannot be installed");
    }
    return script;
  }

  private static Path onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(d, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
