package dev.inferops.operator.dependent;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.AppSpecBuilder;
import dev.inferops.operator.api.v1alpha1.CrashMode;
import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpecBuilder;
import dev.inferops.operator.api.v1alpha1.DisruptionBudgetSpec;
import dev.inferops.operator.api.v1alpha1.DisruptionBudgetSpecBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.ServiceExposureSpecBuilder;
import dev.inferops.operator.api.v1alpha1.ServiceType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.RecordedEvents;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.PodTemplates;
import dev.inferops.operator.workload.WorkloadSwitch;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DependentResourcesTest {

  @Test
  void configMapHoldsTheAppSettings() {
    var is =
        inferenceService(
            spec ->
                spec.setApp(
                    new AppSpecBuilder()
                        .withStartDelaySeconds(5)
                        .withCrashAfterSeconds(20)
                        .withCrashMode(CrashMode.EXIT)
                        .build()));
    var cm = ConfigMapDependentResource.build(is);
    assertThat(cm.getMetadata().getName()).isEqualTo("heart-config");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("ml");
    assertThat(cm.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "inference-operator");
    assertThat(cm.getData())
        .containsExactlyEntriesOf(
            new java.util.TreeMap<>(
                Map.of(
                    "CRASH_AFTER_SECONDS", "20",
                    "CRASH_MODE", "exit",
                    "PORT", "8000",
                    "START_DELAY_SECONDS", "5")));
  }

  @Test
  void serviceSelectsAllPodsOfTheInstance() {
    var service = ServiceDependentResource.build(inferenceService());
    assertThat(service.getMetadata().getName()).isEqualTo("heart");
    assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(service.getSpec().getSelector())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name",
                "inference-service",
                "app.kubernetes.io/instance",
                "heart"));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getPort()).isEqualTo(80);
              assertThat(p.getTargetPort()).isEqualTo(new IntOrString("http"));
              assertThat(p.getNodePort()).isNull();
            });
  }

  @Test
  void nodePortServiceKeepsTheRequestedPorts() {
    var service =
        ServiceDependentResource.build(
            inferenceService(
                spec ->
                    spec.setService(
                        new ServiceExposureSpecBuilder()
                            .withType(ServiceType.NodePort)
                            .withPort(8080)
                            .withNodePort(30080)
                            .build())));
    assertThat(service.getSpec().getType()).isEqualTo("NodePort");
    assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(8080);
    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isEqualTo(30080);
  }

  @Test
  void serviceCanBeDisabled() {
    var is =
        inferenceService(
            spec -> spec.setService(new ServiceExposureSpecBuilder().withEnabled(false).build()));
    assertThat(EffectiveSpec.serviceEnabled(is)).isFalse();
    assertThat(EffectiveSpec.serviceEnabled(inferenceService())).isTrue();
  }

  @Test
  void deploymentDefaultsToOneReplicaAndKubernetesRollingDefaults() {
    var deployment = deployment(inferenceService(), null);
    assertThat(deployment.getMetadata().getName()).isEqualTo("heart");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "app.kubernetes.io/name", "inference-service",
                "app.kubernetes.io/instance", "heart",
                "inferops.dev/workload", "Deployment"));
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate()).isNull();
  }

  @Test
  void rollingUpdateUsesMaxSurgeAndMaxUnavailable() {
    var deployment =
        deployment(
            inferenceService(
                spec -> {
                  spec.setReplicas(4);
                  spec.setStrategy(
                      new DeploymentStrategySpecBuilder()
                          .withMaxSurge(new IntOrString(1))
                          .withMaxUnavailable(new IntOrString("50%"))
                          .build());
                }),
            null);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(4);
    var rolling = deployment.getSpec().getStrategy().getRollingUpdate();
    assertThat(rolling.getMaxSurge()).isEqualTo(new IntOrString(1));
    assertThat(rolling.getMaxUnavailable()).isEqualTo(new IntOrString("50%"));
  }

  private static InferenceService blueGreen() {
    return inferenceService(
        spec -> {
          spec.setStrategy(Fixtures.blueGreen().build());
          spec.setReplicas(3);
        });
  }

  /** The revision Deployment of the spec's revision, as if it had run image old:1. */
  private static Deployment olderRevision(InferenceService is) {
    String desired = Intent.of(is, null).revision();
    Deployment old =
        BlueGreenDeploymentsDependentResource.build(
                is, Intent.of(is, null), Map.of(desired, 3), Map.of(), Map.of())
            .values()
            .iterator()
            .next();
    old.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("old:1");
    return old;
  }

  @Test
  void blueGreenRunsEachRevisionAsItsOwnDeploymentAtItsDecidedReplicas() {
    InferenceService is = blueGreen();
    String desired = Intent.of(is, null).revision();
    Deployment old = olderRevision(is);
    var built =
        BlueGreenDeploymentsDependentResource.build(
            is,
            Intent.of(is, null),
            new java.util.LinkedHashMap<>(Map.of(desired, 3, "oldrev", 0)),
            Map.of("oldrev", old),
            Map.of());

    assertThat(built.values())
        .extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("heart-" + desired, "heart-oldrev");
    var current =
        built.values().stream()
            .filter(d -> d.getMetadata().getName().equals("heart-" + desired))
            .findFirst()
            .orElseThrow();
    assertThat(current.getSpec().getReplicas()).isEqualTo(3);
    assertThat(current.getSpec().getSelector().getMatchLabels())
        .containsEntry("inferops.dev/revision", desired)
        .containsEntry("inferops.dev/workload", "Deployment");
    assertThat(current.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("inferops.dev/revision", desired);
    var previous =
        built.values().stream()
            .filter(d -> d.getMetadata().getName().equals("heart-oldrev"))
            .findFirst()
            .orElseThrow();
    assertThat(previous.getSpec().getReplicas()).isZero();
    assertThat(previous.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("an old revision keeps its own template")
        .isEqualTo("old:1");
  }

  @Test
  void everyKeptRevisionHasAnUnchangingSnapshotThatRebuildsADeletedDeployment() {
    InferenceService is = blueGreen();
    String desired = Intent.of(is, null).revision();
    Deployment old = olderRevision(is);
    old.getMetadata().getLabels().put("inferops.dev/revision", "oldrev");

    var first =
        ControllerRevisionsDependentResource.build(
            is, Intent.of(is, null), List.of("oldrev"), Map.of(), Map.of("oldrev", old));
    var oldSnapshot = first.values().iterator().next();
    assertThat(oldSnapshot.getMetadata().getName()).isEqualTo("heart-oldrev");
    assertThat(oldSnapshot.getRevision()).isEqualTo(1L);

    var both =
        ControllerRevisionsDependentResource.build(
            is,
            Intent.of(is, null),
            List.of(desired, "oldrev"),
            Map.of("oldrev", oldSnapshot),
            Map.of("oldrev", old));
    assertThat(both.values())
        .extracting(r -> r.getMetadata().getName() + "@" + r.getRevision())
        .containsExactly("heart-" + desired + "@2", "heart-oldrev@1");
    assertThat(both.values())
        .allSatisfy(
            r ->
                assertThat(r.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/managed-by", "inference-operator")
                    .containsKey("inferops.dev/revision"));

    var rebuilt =
        BlueGreenDeploymentsDependentResource.build(
                is,
                Intent.of(is, null),
                Map.of("oldrev", 3),
                Map.of(),
                Map.of("oldrev", oldSnapshot))
            .values()
            .iterator()
            .next();
    assertThat(rebuilt.getMetadata().getName()).isEqualTo("heart-oldrev");
    assertThat(rebuilt.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rebuilt.getSpec().getTemplate().getMetadata())
        .isEqualTo(old.getSpec().getTemplate().getMetadata());
    assertThat(rebuilt.getSpec().getTemplate().getSpec().getContainers())
        .isEqualTo(old.getSpec().getTemplate().getSpec().getContainers());

    assertThat(
            ControllerRevisionsDependentResource.build(
                is, Intent.of(is, null), List.of(desired), Map.of("oldrev", oldSnapshot), Map.of()))
        .as("a revision out of the history loses its snapshot")
        .hasSize(1);
  }

  @Test
  void blueGreenServicesSelectOneRevisionEach() {
    InferenceService is = inferenceService(spec -> {});
    assertThat(ServiceDependentResource.build(is, "aaa").getSpec().getSelector())
        .containsEntry("inferops.dev/revision", "aaa");
    assertThat(ServiceDependentResource.build(is).getSpec().getSelector())
        .doesNotContainKey("inferops.dev/revision");
    var preview = PreviewServiceDependentResource.build(is, "bbb");
    assertThat(preview.getMetadata().getName()).isEqualTo("heart-preview");
    assertThat(preview.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(preview.getSpec().getSelector()).containsEntry("inferops.dev/revision", "bbb");
    assertThat(preview.getMetadata().getLabels())
        .containsEntry("inferops.dev/service-role", "preview");
  }

  @Test
  void disruptionBudgetCoversEveryPodWithMaxUnavailable() {
    InferenceService is = inferenceService(spec -> spec.setReplicas(3));
    var pdb = PodDisruptionBudgetDependentResource.build(is);
    assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/instance", "heart");
    assertThat(EffectiveSpec.disruptionBudgetWanted(is)).isTrue();
    assertThat(EffectiveSpec.disruptionBudgetWanted(inferenceService(spec -> spec.setReplicas(1))))
        .as("one replica: a budget would block every drain")
        .isFalse();
    DisruptionBudgetSpec off = new DisruptionBudgetSpecBuilder().withEnabled(false).build();
    assertThat(
            EffectiveSpec.disruptionBudgetWanted(
                inferenceService(
                    spec -> {
                      spec.setReplicas(3);
                      spec.setDisruptionBudget(off);
                    })))
        .isFalse();
  }

  @Test
  void rollingDeploymentCarriesProgressDeadlineAndHistory() {
    var deployment = deployment(inferenceService(spec -> {}), null);
    assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(600);
    assertThat(deployment.getSpec().getRevisionHistoryLimit()).isEqualTo(2);
  }

  @Test
  void aRolledBackDeploymentGetsTheOldTemplateInsteadOfTheSpecs() {
    var old = deployment(inferenceService(), null).getSpec().getTemplate();
    var is = inferenceService(spec -> spec.setImage("inferops/inference-app:0.2.0"));

    var deployment = deployment(is, null, Optional.of(old));

    assertThat(deployment.getSpec().getTemplate()).isEqualTo(old);
    assertThat(deployment.getSpec())
        .usingRecursiveComparison()
        .ignoringFields("template")
        .isEqualTo(deployment(is, null).getSpec());
  }

  @Test
  void replicaSetSelectsOnlyItsOwnKind() {
    var rs = replicaSet(inferenceService(spec -> spec.setReplicas(3)), null);
    assertThat(rs.getMetadata().getName()).isEqualTo("heart");
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rs.getSpec().getSelector().getMatchLabels())
        .containsEntry("inferops.dev/workload", "ReplicaSet");
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("inferops.dev/workload", "ReplicaSet");
  }

  @Test
  void podsAreNumberedFromZero() {
    Map<ResourceID, Pod> pods = pods(inferenceService(spec -> spec.setReplicas(3)), null);
    assertThat(pods.keySet())
        .containsExactly(
            new ResourceID("heart-0", "ml"),
            new ResourceID("heart-1", "ml"),
            new ResourceID("heart-2", "ml"));
    assertThat(pods.values())
        .allSatisfy(
            p -> {
              assertThat(p.getMetadata().getLabels()).containsEntry("inferops.dev/workload", "Pod");
              assertThat(p.getMetadata().getAnnotations())
                  .containsKey("inferops.dev/template-hash");
              assertThat(p.getSpec().getContainers()).hasSize(1);
            });
    assertThat(pods(inferenceService(spec -> spec.setReplicas(0)), null)).isEmpty();
  }

  @Test
  void podsMatchByTemplateHashAndTerminatingPodsAreLeftAlone() {
    var resource = new PodsDependentResource(new RecordedEvents());
    var is = inferenceService();
    Pod desired = pods(is, null).values().iterator().next();
    Pod same = new PodBuilder(desired).build();
    Pod changed =
        pods(inferenceService(s -> s.setImage("other:2")), null).values().iterator().next();
    Pod terminating =
        new PodBuilder(changed)
            .editMetadata()
            .withDeletionTimestamp("2025-01-01T00:00:00Z")
            .endMetadata()
            .build();
    assertThat(resource.match(same, desired, is, null).matched()).isTrue();
    assertThat(resource.match(changed, desired, is, null).matched()).isFalse();
    assertThat(resource.match(terminating, desired, is, null).matched()).isTrue();
  }

  @Test
  void podsMapToTheirInstanceByLabel() {
    var resource = new PodsDependentResource(new RecordedEvents());
    Pod pod =
        new PodBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName("heart-abc")
                    .withNamespace("ml")
                    .addToLabels("app.kubernetes.io/instance", "heart")
                    .build())
            .build();
    assertThat(resource.toPrimaryResourceIDs(pod)).containsExactly(new ResourceID("heart", "ml"));
    assertThat(
            resource.toPrimaryResourceIDs(new PodBuilder().withNewMetadata().endMetadata().build()))
        .isEmpty();
  }

  @Test
  void barePodsMustBeOwnedAndOfKindPod() {
    var is = inferenceService();
    Pod owned = ownedBy(is, Fixtures.pod(is, WorkloadKind.Pod, "heart-0", true));
    Pod foreign = Fixtures.pod(is, WorkloadKind.Pod, "heart-1", true);
    Pod deploymentPod = ownedBy(is, Fixtures.pod(is, WorkloadKind.Deployment, "heart-x", true));
    assertThat(WorkloadSwitch.isBarePod(owned, is)).isTrue();
    assertThat(WorkloadSwitch.isBarePod(foreign, is)).isFalse();
    assertThat(WorkloadSwitch.isBarePod(deploymentPod, is)).isFalse();
  }

  private static Pod ownedBy(InferenceService is, Pod pod) {
    return new PodBuilder(pod)
        .editMetadata()
        .addNewOwnerReference()
        .withUid(is.getMetadata().getUid())
        .endOwnerReference()
        .endMetadata()
        .build();
  }

  /** The rolling Deployment of the spec, from its template as the plan gives it. */
  private static Deployment deployment(InferenceService is, String modelHash) {
    return DeploymentDependentResource.build(
        is, PodTemplates.desired(is, WorkloadKind.Deployment, modelHash));
  }

  private static Deployment deployment(
      InferenceService is, String modelHash, Optional<PodTemplateSpec> rolledBack) {
    return DeploymentDependentResource.build(
        is, PodTemplates.desired(is, WorkloadKind.Deployment, modelHash), rolledBack);
  }

  private static ReplicaSet replicaSet(InferenceService is, String modelHash) {
    return ReplicaSetDependentResource.build(
        is, PodTemplates.desired(is, WorkloadKind.ReplicaSet, modelHash));
  }

  private static Map<ResourceID, Pod> pods(InferenceService is, String modelHash) {
    return PodsDependentResource.build(is, PodTemplates.desired(is, WorkloadKind.Pod, modelHash));
  }
}
