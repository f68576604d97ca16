package dev.inferops.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model from a ConfigMap: after an edit, the predictions served are the new model's. */
@ExtendWith(RealNode.Required.class)
class ModelConfigMapE2E {

  @RegisterExtension static final OperatorExtension cluster = RealNode.localOperator().build();

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void predictionsFollowTheEditedModel() throws Exception {
    ObjectNode model =
        (ObjectNode)
            JSON.readTree(
                Files.readString(
                    Repository.root()
                        .resolve("inference-app/src/main/resources/model/heart.json")));
    model.put("version", "1.0.0-configmap");
    putModel(model);
    RealNode.deployReady(
        cluster, "heart", 2, spec -> spec.setModel(Fixtures.model("heart-model").build()));
    JsonNode first = predict();
    assertThat(first.path("version").asText()).isEqualTo("1.0.0-configmap");
    assertThat(first.at("/predictions/0/label").asInt()).isEqualTo(1);

    // The same features with a bias far below zero: every patient is now predicted healthy.
    model.put("version", "2.0.0-configmap");
    model.put("bias", -50.0);
    putModel(model);
    await()
        .atMost(RealNode.E2E_TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(cluster.livePods("heart")).hasSize(2);
              for (int i = 0; i < 10; i++) {
                JsonNode answer = predict();
                assertThat(answer.path("version").asText()).isEqualTo("2.0.0-configmap");
                assertThat(answer.at("/predictions/0/label").asInt()).isZero();
                assertThat(answer.at("/predictions/0/probability").asDouble()).isLessThan(0.01);
              }
            });
  }

  private void putModel(ObjectNode model) throws Exception {
    cluster
        .client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("heart-model")
                .endMetadata()
                .addToData("model.json", JSON.writeValueAsString(model))
                .build())
        .serverSideApply();
  }

  private JsonNode predict() throws Exception {
    Traffic.Answer a =
        Traffic.once(
            RealNode.clusterIp(cluster, "heart"),
            RealNode.servicePort(cluster, "heart"),
            "/predict",
            Traffic.PATIENT);
    assertThat(a.status()).as(a.body()).isEqualTo(200);
    return JSON.readTree(a.body());
  }
}
