package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users' ONNX models on real pods: from a ConfigMap, a claim and a URL each serves what the
 * framework that trained it predicts; a wrong checksum leaves the pods unready with the URL and the
 * cause in the status; blue-green moves from one model to another under traffic, and refuses an
 * unusable one with the fix in the status, without a failed request.
 */
@ExtendWith(RealNode.Required.class)
class OnnxModelE2E {
  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path MODELS =
      Repository.root().resolve("inference-app/src/test/resources/onnx");
  private static final int ROWS = 20;

  private static byte[] model(String file) throws IOException {
    return Files.readAllBytes(MODELS.resolve(file));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void putModel(String configMap, byte[] onnx) {
    cluster.putBinaryConfigMap(configMap, "model.onnx", onnx);
  }

  /** The first rows of the oracle through the Service, compared with what scikit-learn gave. */
  private static void assertServesTheOracle(String service, String model) throws Exception {
    JsonNode oracle = JSON.readTree(MODELS.resolve(model + ".oracle.json").toFile());
    ObjectNode request = JSON.createObjectNode();
    ObjectNode input = request.putArray("inputs").addObject();
    input.put("name", "input").put("datatype", "FP32");
    input.putArray("shape").add(ROWS).add(13);
    ArrayNode data = input.putArray("data");
    for (int r = 0; r < ROWS; r++) {
      oracle.get("inputs").get(r).forEach(data::add);
    }
    Traffic.Answer a =
        Traffic.once(
            RealNode.clusterIp(cluster, service),
            RealNode.servicePort(cluster, service),
            "/v2/models/" + model + "/infer",
            request.toString());
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    JsonNode outputs = JSON.readTree(a.body()).get("outputs");
    for (int r = 0; r < ROWS; r++) {
      assertThat(outputs.get(0).get("data").get(r).asLong())
          .as("%s row %d label", service, r)
          .isEqualTo(oracle.get("labels").get(r).asLong());
      for (int c = 0; c < 2; c++) {
        assertThat(outputs.get(1).get("data").get(2 * r + c).asDouble())
            .as("%s row %d probability %d", service, r, c)
            .isCloseTo(oracle.get("probabilities").get(r).get(c).asDouble(), within(1e-5));
      }
    }
  }

  /** The model that answers a prediction through the Service on a new connection. */
  private static String servedModel(String service) throws Exception {
    Traffic.Answer a =
        Traffic.once(
            RealNode.clusterIp(cluster, service),
            RealNode.servicePort(cluster, service),
            "/predict",
            Traffic.PATIENT);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return JSON.readTree(a.body()).path("model").asText();
  }

  private static String statusText(String name) throws Exception {
    InferenceService is = cluster.inferenceService(name).get();
    return is.getStatus() == null ? "" : JSON.writeValueAsString(is.getStatus());
  }

  @Test
  void eachSourceServesWhatTheFrameworkPredictsAndABadChecksumIsNamed() throws Exception {
    byte[] forest = model("heart-forest.onnx");
    String digest = sha256(forest);

    putModel("forest", forest);
    RealNode.deployReady(
        cluster,
        "from-configmap",
        1,
        spec -> spec.setModel(Fixtures.model("forest").withKey("model.onnx").build()));
    assertServesTheOracle("from-configmap", "heart-forest");
    assertThat(cluster.inferenceService("from-configmap").get().getStatus().getModel().getDigest())
        .isEqualTo("sha256:" + digest);

    // A claim: a host directory on the real node, readable by the app's non-root user.
    Path dir = Path.of("/tmp", cluster.namespace() + "-models");
    Files.createDirectories(dir.resolve("heart"));
    Files.write(dir.resolve("heart/forest.onnx"), forest);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        dir.resolve("heart"), PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      cluster.createBoundClaim("models");
      RealNode.deployReady(
          cluster,
          "from-claim",
          1,
          spec -> spec.setModel(Fixtures.modelFromClaim("models", "heart/forest.onnx").build()));
      assertServesTheOracle("from-claim", "heart-forest");
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }

    // A URL on this host's address on the pods' bridge: the init container fetches it.
    HttpServer server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByName(RealNode.bridgeHost()), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          if (exchange.getRequestURI().getPath().equals("/heart-forest.onnx")) {
            exchange.sendResponseHeaders(200, forest.length);
            exchange.getResponseBody().write(forest);
          } else {
            exchange.sendResponseHeaders(404, -1);
          }
          exchange.close();
        });
    server.start();
    try {
      String url =
          "http://"
              + RealNode.bridgeHost()
              + ":"
              + server.getAddress().getPort()
              + "/heart-forest.onnx";
      RealNode.deployReady(
          cluster,
          "from-url",
          1,
          spec -> spec.setModel(Fixtures.modelFromUrl(url, digest).build()));
      assertServesTheOracle("from-url", "heart-forest");

      String wrong = "0".repeat(64);
      cluster.create(
          RealNode.inferenceService(
              cluster,
              "bad-checksum",
              1,
              spec -> spec.setModel(Fixtures.modelFromUrl(url, wrong).build())));
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(statusText("bad-checksum"))
                      .contains("model download from " + url)
                      // The status shortens long lines; the digests' heads are what a user
                      // compares.
                      .contains(
                          "sha256 mismatch: expected "
                              + wrong
                              + ", got "
                              + digest.substring(0, 12)));
      assertThat(cluster.inferenceService("bad-checksum").get().getStatus().getReadyReplicas())
          .isNotEqualTo(1);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void blueGreenMovesToAnotherModelAndRefusesAnUnusableOneWithoutAFailedRequest() throws Exception {
    putModel("models", model("heart-logreg.onnx"));
    RealNode.deployReady(
        cluster,
        "heart",
        2,
        spec -> {
          spec.setModel(Fixtures.model("models").withKey("model.onnx").build());
          spec.setStrategy(Fixtures.blueGreen().withProgressDeadlineSeconds(60).build());
        });
    assertServesTheOracle("heart", "heart-logreg");

    try (Traffic traffic =
        RealNode.serviceTraffic(
            cluster,
            "heart",
            true,
            Duration.ofSeconds(10),
            RealNode.E2E_TIMEOUT,
            RealNode.E2E_TIMEOUT,
            Duration.ofSeconds(20))) {
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(10));

      // Another model: a new revision, smoke-tested from its own metadata, then promoted.
      putModel("models", model("heart-forest.onnx"));
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(() -> assertThat(servedModel("heart")).isEqualTo("heart-forest"));
      cluster.awaitPhase("heart", dev.inferops.operator.api.v1alpha1.Phase.Ready);
      assertServesTheOracle("heart", "heart-forest");

      // The user's own example with the label they expect, which the next model does not give:
      // its smoke test fails naming the instance, and the forest keeps serving.
      Map<String, Double> patient =
          JSON.readValue(Traffic.PATIENT, new TypeReference<Map<String, Double>>() {});
      cluster.editSpec(
          "heart",
          spec ->
              spec.setStrategy(
                  Fixtures.blueGreen()
                      .withProgressDeadlineSeconds(60)
                      .withNewBlueGreen()
                      .withNewSmokeTest()
                      .withInstances(List.of(patient))
                      .withExpectedLabels(List.of(0))
                      .endSmokeTest()
                      .endBlueGreen()
                      .build()));
      putModel("models", model("heart-gbt.onnx"));
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(statusText("heart"))
                      .contains("instance 0: output label expected label 0, got 1"));
      assertThat(servedModel("heart")).isEqualTo("heart-forest");

      // A model the server cannot serve: its preview pods exit with the fix on their last line,
      // the active model keeps serving.
      putModel("models", model("hostile/zipmap.onnx"));
      await()
          .atMost(RealNode.E2E_TIMEOUT)
          .untilAsserted(
              () ->
                  assertThat(statusText("heart")).contains("export classifiers with zipmap=False"));
      traffic.awaitMoreAnswers(20, Duration.ofSeconds(20));
      traffic.finish(
          "blue-green from one ONNX model to another, then an unusable one",
          Duration.ofSeconds(20));
      assertThat(traffic.failed()).as(traffic.summary("onnx blue-green")).isZero();
      assertThat(servedModel("heart")).isEqualTo("heart-forest");
    }
  }
}
