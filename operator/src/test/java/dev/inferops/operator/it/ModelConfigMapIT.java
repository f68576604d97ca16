package dev.inferops.operator.it;

import static dev.inferops.operator.testsupport.OperatorExtension.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A change to the model in the user's ConfigMap rolls the pods; nothing else does. */
class ModelConfigMapIT {

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();

  private static final String MODEL_HASH = "inferops.dev/model-hash";

  @Test
  void editingTheModelRollsTheDeploymentAndUnrelatedEditsDoNot() {
    cluster.createConfigMap("heart-model", "model.json", "{\"version\": \"1\"}");
    cluster.createConfigMap("unrelated", "other.json", "{}");
    cluster.create(
        cluster.newInferenceService(
            "heart",
            2,
            spec -> {
              spec.setWorkload(WorkloadKind.Deployment);
              spec.setApp(Fixtures.startDelay(1).build());
              spec.setModel(Fixtures.model("heart-model").build());
            }));
    cluster.awaitPhase("heart", Phase.Ready);
    Set<String> firstPods = podNames();
    String firstHash = templateModelHash();
    assertThat(firstPods).hasSize(2);
    assertThat(firstHash).isNotBlank().isNotEqualTo("missing");
    assertThat(replicaSets()).hasSize(1);

    // Another ConfigMap, and another key of the model ConfigMap (which does trigger a reconcile).
    editConfigMap("unrelated", "other.json", "{\"changed\": true}");
    editConfigMap("heart-model", "notes.txt", "not part of the model");
    await()
        .during(Duration.ofSeconds(4))
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(templateModelHash()).isEqualTo(firstHash);
              assertThat(replicaSets()).hasSize(1);
              assertThat(podNames()).isEqualTo(firstPods);
            });

    editConfigMap("heart-model", "model.json", "{\"version\": \"2\"}");
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              assertThat(templateModelHash()).isNotEqualTo(firstHash);
              assertThat(replicaSets()).as("a new ReplicaSet for the rollout").hasSize(2);
              List<Pod> live = cluster.livePods("heart");
              assertThat(live)
                  .hasSize(2)
                  .allSatisfy(
                      p -> {
                        assertThat(firstPods).doesNotContain(p.getMetadata().getName());
                        assertThat(p.getMetadata().getAnnotations())
                            .containsEntry(MODEL_HASH, templateModelHash());
                        assertThat(PodStates.isReady(p)).isTrue();
                      });
            });
    cluster.awaitPhase("heart", Phase.Ready);
  }

  @Test
  void missingModelConfigMapIsReportedUntilItIsCreated() {
    cluster.create(
        cluster.newInferenceService(
            "heart",
            1,
            spec -> {
              spec.setWorkload(WorkloadKind.Deployment);
              spec.setModel(Fixtures.model("late-model").build());
            }));
    cluster.awaitPhase("heart", Phase.Degraded);
    assertThat(degradedMessage()).isEqualTo("model ConfigMap late-model not found");
    assertThat(templateModelHash()).isEqualTo("missing");

    // Created after the InferenceService: found through the name in its spec.
    cluster.createConfigMap("late-model", "model.json", "{\"version\": \"1\"}");
    cluster.awaitPhase("heart", Phase.Ready);
    assertThat(templateModelHash()).isNotEqualTo("missing");
  }

  private ConfigMap editConfigMap(String name, String key, String value) {
    return cluster
        .client()
        .configMaps()
        .withName(name)
        .edit(cm -> new ConfigMapBuilder(cm).addToData(key, value).build());
  }

  private String templateModelHash() {
    return cluster
        .deployment("heart")
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get(MODEL_HASH);
  }

  private List<ReplicaSet> replicaSets() {
    return cluster
        .client()
        .apps()
        .replicaSets()
        .withLabel("app.kubernetes.io/instance", "heart")
        .list()
        .getItems();
  }

  private Set<String> podNames() {
    return cluster.livePods("heart").stream()
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  private String degradedMessage() {
    InferenceService is = cluster.inferenceService("heart").get();
    return is.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType()))
        .findFirst()
        .orElseThrow()
        .getMessage();
  }
}
