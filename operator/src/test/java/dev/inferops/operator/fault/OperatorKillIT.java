package dev.inferops.operator.fault;

import static dev.inferops.operator.testsupport.OperatorExtension.IMAGE_V2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.testsupport.ChildOperator;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The operator killed (SIGKILL: no shutdown, no cleanup) in the middle of creating and then of
 * rolling several InferenceServices, and started again: every one converges, with exactly one
 * Deployment, Service and settings ConfigMap each and nothing left over.
 */
class OperatorKillIT {

  private static final int COUNT = 8;
  private static final int REPLICAS = 2;
  private static final Duration CONVERGE = Duration.ofSeconds(120);

  @RegisterExtension
  static final OperatorExtension cluster = OperatorExtension.withoutLocalOperator().build();

  @Test
  void killedMidRolloutAndRestartedEverythingConvergesWithoutDuplicatesOrOrphans() {
    List<String> names = IntStream.range(0, COUNT).mapToObj(i -> "heart-" + i).toList();
    ChildOperator first = cluster.startChildOperator("operator-1", Map.of());
    await("the first operator is ready").atMost(Duration.ofSeconds(60)).until(first::isReady);

    names.forEach(name -> cluster.create(cluster.newInferenceService(name, REPLICAS, spec -> {})));
    await("some Deployments exist")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> managed("deployments").size() >= 1);
    first.kill();
    assertThat(names.stream().filter(this::converged).count())
        .as("killed before all had converged")
        .isLessThan(COUNT);

    ChildOperator second = cluster.startChildOperator("operator-2", Map.of());
    awaitAllConverged(names, OperatorExtension.IMAGE_V1);

    names.forEach(name -> cluster.editSpec(name, spec -> spec.setImage(IMAGE_V2)));
    await("the rollout has started")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> names.stream().anyMatch(name -> image(name).equals(IMAGE_V2)));
    second.kill();
    assertThat(names.stream().filter(this::converged).count())
        .as("killed before the rollout had finished")
        .isLessThan(COUNT);

    cluster.startChildOperator("operator-3", Map.of());
    awaitAllConverged(names, IMAGE_V2);
    assertOneOfEachAndNoOrphans(names);
  }

  private void awaitAllConverged(List<String> names, String image) {
    await("all converge on " + image)
        .atMost(CONVERGE)
        .untilAsserted(
            () ->
                names.forEach(
                    name -> {
                      cluster.assertConverged(name, REPLICAS);
                      assertThat(image(name)).isEqualTo(image);
                    }));
  }

  private void assertOneOfEachAndNoOrphans(List<String> names) {
    for (String kind : List.of("deployments", "services", "configmaps")) {
      assertThat(instances(managed(kind)))
          .as("one %s per InferenceService", kind)
          .containsExactlyInAnyOrderElementsOf(names);
    }
    Set<String> known = Set.copyOf(names);
    assertThat(instances(managed("replicasets"))).as("ReplicaSets").isSubsetOf(known);
    assertThat(instances(managed("pods"))).as("pods").isSubsetOf(known);
    names.forEach(
        name ->
            await("the old pods of " + name + " are gone")
                .atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(cluster.pods(name)).hasSize(REPLICAS)));
  }

  private boolean converged(String name) {
    InferenceService is = cluster.inferenceService(name).get();
    return is.getStatus() != null
        && is.getStatus().getPhase() == Phase.Ready
        && is.getMetadata().getGeneration().equals(is.getStatus().getObservedGeneration());
  }

  private String image(String name) {
    var deployment = cluster.deployment(name);
    return deployment == null
        ? ""
        : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** Objects of a kind labelled as the operator's in the test namespace. */
  private List<? extends HasMetadata> managed(String kind) {
    var client = cluster.client();
    var selector = Map.of(ResourceNaming.LABEL_MANAGED_BY, ResourceNaming.MANAGER);
    return switch (kind) {
      case "deployments" -> client.apps().deployments().withLabels(selector).list().getItems();
      case "replicasets" -> client.apps().replicaSets().withLabels(selector).list().getItems();
      case "services" -> client.services().withLabels(selector).list().getItems();
      case "configmaps" -> client.configMaps().withLabels(selector).list().getItems();
      case "pods" -> client.pods().withLabels(selector).list().getItems();
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The InferenceService each object belongs to, one entry per object. */
  private static List<String> instances(List<? extends HasMetadata> objects) {
    return objects.stream()
        .map(o -> o.getMetadata().getLabels().get(ResourceNaming.LABEL_INSTANCE))
        .collect(Collectors.toList());
  }
}
