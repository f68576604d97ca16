package dev.inferops.app;

import dev.inferops.app.json.Json;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.settings.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code self-check}: serves the bundled model, then a small ONNX model, on loopback, asks every
 * route once (and twice with a body it must refuse), and stops. The image build runs it with {@code
 * -XX:ArchiveClassesAtExit}, so every later start maps the classes a server loads from an archive
 * instead of loading them from the jar, a third of the start-up; and a jar, JVM or ONNX Runtime
 * that cannot serve fails the build rather than the first pod.
 */
final class SelfCheck {
  /** The smallest of the models exported by models/export.py, put in the jar by the build. */
  static final String ONNX_RESOURCE = "/self-check/heart-logreg.onnx";

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** A GET without a body, a JSON POST with one. */
  private record Call(String path, String body, int expected) {
    String method() {
      return body == null ? "GET" : "POST";
    }
  }

  private SelfCheck() {}

  static int run(PrintStream out, PrintStream err) {
    Path onnx = null;
    try {
      onnx = Files.createTempFile("self-check-", ".onnx");
      try (InputStream in = SelfCheck.class.getResourceAsStream(ONNX_RESOURCE)) {
        if (in == null) {
          err.println("self-check: " + ONNX_RESOURCE + " is missing from the jar");
          return 1;
        }
        Files.copy(in, onnx, StandardCopyOption.REPLACE_EXISTING);
      }
      HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
      for (Path modelPath : new Path[] {null, onnx}) {
        String failure = check(client, modelPath);
        if (failure != null) {
          err.println("self-check: " + failure);
          return 1;
        }
      }
      out.println(
          "self-check: every route answered as expected, for the bundled and an ONNX model");
      return 0;
    } catch (IOException e) {
      err.println("self-check: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("self-check: interrupted");
      return 1;
    } finally {
      if (onnx != null) {
        try {
          Files.deleteIfExists(onnx);
        } catch (IOException e) {
          err.println("self-check: cannot delete " + onnx + ": " + e);
        }
      }
    }
  }

  /** Serves one model and asks every route; what went wrong, or null when nothing did. */
  private static String check(HttpClient client, Path modelPath)
      throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("BIND_ADDRESS", "127.0.0.1");
    env.put("SHUTDOWN_DRAIN_SECONDS", "0");
    env.put("SHUTDOWN_GRACE_SECONDS", "0");
    if (modelPath != null) {
      env.put("MODEL_PATH", modelPath.toString());
    }
    Settings settings = Settings.fromEnv(env);
    Model model;
    try {
      model = InferenceApp.loadModel(settings);
    } catch (Model.ModelException e) {
      return "cannot load model: " + e.getMessage();
    }
    InferenceServer server =
        InferenceServer.start(
            settings,
            model,
            status -> {
              throw new IllegalStateException("CRASH_MODE is off in the self-check");
            });
    try {
      String base = "http://127.0.0.1:" + server.port();
      for (Call call : calls(model)) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create(base + call.path())).timeout(TIMEOUT);
        request =
            call.body() == null
                ? request.GET()
                : request
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(call.body()));
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != call.expected()) {
          return String.format(
              "model %s: %s %s answered %d, expected %d: %s",
              model.name(),
              call.method(),
              call.path(),
              response.statusCode(),
              call.expected(),
              response.body());
        }
      }
      return null;
    } finally {
      server.stop(Duration.ZERO, Duration.ZERO);
    }
  }

  private static List<Call> calls(Model model) {
    ModelDescription description = model.description();
    List<Double> row = new ArrayList<>();
    for (ModelDescription.Column column : description.columns()) {
      // The smallest value a column takes is a valid one; unbounded columns take 0.
      row.add(Double.isFinite(column.min()) ? column.min() : 0.0);
    }
    ModelDescription.Tensor input = description.input();
    String instances = json(Map.of("instances", List.of(row)));
    String infer =
        json(
            Map.of(
                "inputs",
                List.of(
                    Map.of(
                        "name",
                        input.name(),
                        "datatype",
                        input.datatype(),
                        "shape",
                        List.of(1, row.size()),
                        "data",
                        row))));
    String v1 = "/v1/models/" + model.name();
    String v2 = "/v2/models/" + model.name();
    List<Call> calls = new ArrayList<>();
    for (String path :
        List.of(
            "/health",
            "/ready",
            "/",
            "/v1/models",
            v1,
            "/v2",
            "/v2/health/live",
            "/v2/health/ready",
            v2,
            v2 + "/ready")) {
      calls.add(new Call(path, null, 200));
    }
    calls.add(new Call("/predict", instances, 200));
    calls.add(new Call(v1 + ":predict", instances, 200));
    calls.add(new Call(v2 + "/infer", infer, 200));
    calls.add(new Call(v1 + ":predict", "{\"instances\":", 400));
    calls.add(new Call(v2 + "/infer", "{\"inputs\":[]}", 400));
    // Last: the answer counts the requests above.
    calls.add(new Call("/metrics", null, 200));
    return calls;
  }

  private static String json(Object value) {
    try {
      return Json.MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
