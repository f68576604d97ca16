package dev.inferops.operator.testsupport;

import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.workload.PodTemplates;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** InferenceServices and observed pods for unit tests. */
public final class Fixtures {

  public static final String IMAGE = "inferops/inference-app:0.1.0";

  private Fixtures() {}

  public static InferenceService inferenceService(Consumer<InferenceServiceSpec> customizer) {
    InferenceService is = new InferenceService();
    is.setMetadata(
        new ObjectMetaBuilder()
            .withName("heart")
            .withNamespace("ml")
            .withUid("uid-1")
            .withGeneration(3L)
            .build());
    InferenceServiceSpec spec = new InferenceServiceSpec();
    spec.setImage(IMAGE);
    customizer.accept(spec);
    is.setSpec(spec);
    return is;
  }

  public static InferenceService inferenceService() {
    return inferenceService(spec -> {});
  }

  /** A rolling Deployment InferenceService with {@code strategy.autoRollback}. */
  public static InferenceService autoRollback() {
    return inferenceService(
        spec -> {
          DeploymentStrategySpec strategy = new DeploymentStrategySpec();
          strategy.setAutoRollback(true);
          spec.setStrategy(strategy);
        });
  }

  /** {@code deployment} as its controller reports a rollout past its progress deadline. */
  public static Deployment pastDeadline(Deployment deployment) {
    return new DeploymentBuilder(deployment)
        .editOrNewStatus()
        .addNewCondition()
        .withType("Progressing")
        .withStatus("False")
        .withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"heart-1\" has timed out progressing.")
        .endCondition()
        .endStatus()
        .build();
  }

  /** A pod as the given workload kind would create it from the current spec. */
  public static Pod pod(InferenceService is, WorkloadKind kind, String name, boolean ready) {
    var template = PodTemplates.desired(is, kind, null);
    return new PodBuilder()
        .withMetadata(
            new ObjectMetaBuilder(template.getMetadata())
                .withName(name)
                .withNamespace("ml")
                .build())
        .withSpec(template.getSpec())
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .addNewContainerStatus()
        .withName(ResourceNaming.CONTAINER_NAME)
        .withReady(ready)
        .withRestartCount(0)
        .endContainerStatus()
        .endStatus()
        .build();
  }

  /** Ready pods of the given names, as the workload kind would create them. */
  public static List<Pod> readyPods(InferenceService is, WorkloadKind kind, String... names) {
    return Arrays.stream(names).map(name -> pod(is, kind, name, true)).toList();
  }
}
