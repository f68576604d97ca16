package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutPhase;
import dev.inferops.operator.api.v1alpha1.ServiceExposureSpecBuilder;
import dev.inferops.operator.api.v1alpha1.ServiceType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.KubernetesEventRecorder;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Periodic reconciles of unchanged InferenceServices write nothing. */
class NoWritesIT {

  private static final Duration RESYNC = Duration.ofSeconds(2);

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withLocalOperator()
          .operatorSettings(s -> s.withReconcileInterval(RESYNC))
          .build();

  @Test
  void resyncOfUnchangedResourcesWritesNothing() {
    // Quantities in non-canonical form and a NodePort Service probe the server-side apply matching.
    var resources =
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("0.1"))
            .addToRequests("memory", new Quantity("67108864"))
            .addToLimits("cpu", new Quantity("1"))
            .addToLimits("memory", new Quantity("0.25Gi"))
            .build();
    // A model ConfigMap puts its informer and the model hash to the same test.
    cluster.createConfigMap("heart-model", "model.json", "{}");
    ModelSpec model = Fixtures.model("heart-model").build();
    for (WorkloadKind kind : WorkloadKind.values()) {
      cluster.create(
          cluster.newInferenceService(
              "heart-" + kind.name().toLowerCase(),
              2,
              spec -> {
                spec.setWorkload(kind);
                spec.setResources(resources);
                spec.setApp(Fixtures.startDelay(1).build());
                spec.setService(
                    new ServiceExposureSpecBuilder().withType(ServiceType.NodePort).build());
                spec.setModel(model);
                if (kind == WorkloadKind.Deployment) {
                  // The rolling memory (status.rollingUpdate) and its decision on every resync.
                  spec.setStrategy(Fixtures.autoRollbackStrategy().build());
                }
              }));
    }
    // Blue-green after a promotion: revision Deployments, both Services, the scale-down done.
    cluster.create(
        cluster.newInferenceService(
            "heart-bluegreen",
            2,
            spec -> spec.setStrategy(Fixtures.blueGreenWithoutSmokeTest().build())));
    for (WorkloadKind kind : WorkloadKind.values()) {
      cluster.awaitPhase("heart-" + kind.name().toLowerCase(), Phase.Ready);
    }
    cluster.awaitPhase("heart-bluegreen", Phase.Ready);
    cluster.editSpec("heart-bluegreen", spec -> spec.setImage(OperatorExtension.IMAGE_V2));
    await()
        .atMost(OperatorExtension.TIMEOUT)
        .untilAsserted(
            () -> {
              var status = cluster.inferenceService("heart-bluegreen").get().getStatus();
              assertThat(status.getRollout().getActiveImage())
                  .isEqualTo(OperatorExtension.IMAGE_V2);
              assertThat(status.getRollout().getPhase()).isEqualTo(RolloutPhase.Healthy);
              assertThat(status.getPhase()).isEqualTo(Phase.Ready);
            });

    // Let the cluster's own controllers finish their status updates first: two polls one resync
    // apart must see the same versions (an operator that writes on every resync never settles).
    var settled = new java.util.concurrent.atomic.AtomicReference<Map<String, String>>(Map.of());
    await()
        .pollInterval(RESYNC)
        .atMost(Duration.ofSeconds(30))
        .until(() -> settled.getAndSet(resourceVersions()).equals(settled.get()));
    Map<String, String> before = resourceVersions();
    double reconcilesBefore = reconciles();
    await()
        .pollDelay(RESYNC.multipliedBy(4))
        .atMost(RESYNC.multipliedBy(6))
        .untilAsserted(() -> assertThat(reconciles()).isGreaterThan(reconcilesBefore + 6));
    assertThat(resourceVersions()).isEqualTo(before);
  }

  private double reconciles() {
    return cluster
        .operator()
        .meterRegistry()
        .find("operator.sdk.reconciliations.success")
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /**
   * Kind/name to resourceVersion of the InferenceServices, everything they own (the blue-green
   * snapshots among them) and the Events the operator recorded: a resync may not even repeat an
   * Event, which would bump its count.
   */
  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new TreeMap<>();
    Stream.of(
            cluster.inferenceServices().list().getItems(),
            cluster.client().apps().deployments().list().getItems(),
            cluster.client().apps().replicaSets().list().getItems(),
            cluster.client().apps().controllerRevisions().list().getItems(),
            cluster.client().pods().list().getItems(),
            cluster.client().services().list().getItems(),
            cluster.client().configMaps().list().getItems(),
            cluster.client().policy().v1().podDisruptionBudget().list().getItems(),
            cluster.client().v1().events().list().getItems().stream()
                .filter(e -> KubernetesEventRecorder.COMPONENT.equals(e.getReportingComponent()))
                .toList())
        .flatMap(list -> list.stream().map(HasMetadata.class::cast))
        .forEach(
            o ->
                versions.put(
                    o.getKind() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
    return versions;
  }
}
