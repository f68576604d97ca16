package dev.inferops.operator.rollout.rolling;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static dev.inferops.operator.testsupport.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.TestContext;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.PodTemplates;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the rolling decision is made from, read from informer-like objects. */
class RollingUpdatePlannerTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private static Deployment deployment(InferenceService is, int replicas, int updated, int avail) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("heart")
        .withNamespace("ml")
        .withUid("deploy-1")
        .withGeneration(4L)
        .endMetadata()
        .withNewSpec()
        .withTemplate(template(is))
        .endSpec()
        .withNewStatus()
        .withObservedGeneration(4L)
        .withReplicas(replicas)
        .withUpdatedReplicas(updated)
        .withAvailableReplicas(avail)
        .endStatus()
        .build();
  }

  private static PodTemplateSpec template(InferenceService is) {
    return PodTemplates.desired(is, WorkloadKind.Deployment, null);
  }

  private static ReplicaSet replicaSet(
      String name, String ownerUid, PodTemplateSpec template, String created) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .addNewOwnerReference()
        .withKind("Deployment")
        .withName("heart")
        .withUid(ownerUid)
        .withController(true)
        .endOwnerReference()
        .endMetadata()
        .withNewSpec()
        .withTemplate(
            new PodTemplateSpecBuilder(template)
                .editMetadata()
                .addToLabels(RollingUpdatePlanner.POD_TEMPLATE_HASH_LABEL, name)
                .endMetadata()
                .build())
        .endSpec()
        .build();
  }

  private static String revision(Deployment d) {
    return Revisions.revision(
        d.getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(ResourceNaming.ANNOTATION_TEMPLATE_HASH));
  }

  @Test
  void theOldTemplateComesFromTheDeploymentsOwnReplicaSetWithoutTheControllersLabel() {
    InferenceService v1 = inferenceService();
    InferenceService v2 = inferenceService(spec -> spec.setImage("inferops/inference-app:0.2.0"));
    Deployment d = deployment(v2, 2, 1, 1);
    PodTemplateSpec old = template(v1);
    List<ReplicaSet> replicaSets =
        List.of(
            replicaSet("heart-new", "deploy-1", d.getSpec().getTemplate(), "2026-12-01T09:00:00Z"),
            replicaSet("heart-old", "deploy-1", old, "2026-12-01T08:00:00Z"),
            // The same template in a ReplicaSet of a Deployment since deleted.
            replicaSet("heart-gone", "deploy-0", old, "2026-12-01T07:00:00Z"));

    String v1Revision = revision(deployment(v1, 2, 2, 2));
    assertThat(RollingUpdatePlanner.templateOf(replicaSets, d, v1Revision)).contains(old);
    assertThat(
            RollingUpdatePlanner.templateOf(replicaSets, d, v1Revision)
                .orElseThrow()
                .getMetadata()
                .getLabels())
        .doesNotContainKey(RollingUpdatePlanner.POD_TEMPLATE_HASH_LABEL);
    assertThat(RollingUpdatePlanner.templateOf(replicaSets.subList(0, 1), d, v1Revision)).isEmpty();
    assertThat(RollingUpdatePlanner.templateOf(replicaSets.subList(2, 3), d, v1Revision))
        .as("only ReplicaSets the Deployment controls")
        .isEmpty();
  }

  @Test
  void fullyAvailableMeansEveryPodUpdatedAndAvailable() {
    InferenceService is = inferenceService(spec -> spec.setReplicas(2));

    var done = RollingUpdatePlanner.observed(deployment(is, 2, 2, 2));
    assertThat(done.fullyAvailable()).isTrue();
    assertThat(done.caughtUp()).isTrue();
    assertThat(done.revision()).isEqualTo(revision(deployment(is, 2, 2, 2)));
    assertThat(done.image()).isEqualTo("inferops/inference-app:0.1.0");
    assertThat(RollingUpdatePlanner.observed(deployment(is, 3, 2, 3)).fullyAvailable()).isFalse();
    assertThat(RollingUpdatePlanner.observed(deployment(is, 2, 2, 1)).fullyAvailable()).isFalse();
    assertThat(RollingUpdatePlanner.observed(deployment(is, 0, 0, 0)).fullyAvailable())
        .as("no pod has run it")
        .isFalse();
    Deployment behind =
        new DeploymentBuilder(deployment(is, 2, 2, 2))
            .editMetadata()
            .withGeneration(5L)
            .endMetadata()
            .build();
    assertThat(RollingUpdatePlanner.observed(behind).caughtUp()).isFalse();
  }

  @Test
  void theDeadlineAndThePodsReasonAreReadFromTheInformers() {
    InferenceService is = Fixtures.autoRollback();
    Deployment stuck = Fixtures.pastDeadline(deployment(is, 2, 1, 1));
    var waiting = pod(is, WorkloadKind.Deployment, "heart-1-a", false);
    waiting.getStatus().setContainerStatuses(List.of());
    waiting
        .getStatus()
        .getConditions()
        .add(
            new PodConditionBuilder()
                .withType("PodScheduled")
                .withStatus("False")
                .withReason("Unschedulable")
                .withMessage("0/3 nodes are available")
                .build());
    var ready = pod(is, WorkloadKind.Deployment, "heart-0-a", true);

    var input =
        RollingUpdatePlanner.input(
            is,
            Intent.of(is, null),
            TestContext.secondaries(List.of(stuck, waiting, ready)),
            Optional.of(stuck),
            T0);

    assertThat(input.autoRollback()).isTrue();
    assertThat(input.specRevision()).isEqualTo(revision(stuck));
    assertThat(input.deployment().orElseThrow().deadlineExceeded()).isTrue();
    assertThat(input.podsProblem())
        .isEqualTo("pod heart-1-a: Unschedulable (0/3 nodes are available)");
    assertThat(input.retry()).isFalse();

    is.getMetadata().setAnnotations(Map.of(ResourceNaming.ANNOTATION_RETRY, "true"));
    var withoutPods =
        RollingUpdatePlanner.input(
            is,
            Intent.of(is, null),
            TestContext.secondaries(List.of(stuck)),
            Optional.of(stuck),
            T0);
    assertThat(withoutPods.retry()).isTrue();
    assertThat(withoutPods.podsProblem())
        .as("the Deployment's own message when no pod says why")
        .isEqualTo("ReplicaSet \"heart-1\" has timed out progressing.");
  }
}
