package dev.inferops.operator.testsupport;

import dev.inferops.operator.api.v1alpha1.AppSpecBuilder;
import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpecBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ModelSpecBuilder;
import dev.inferops.operator.api.v1alpha1.StrategyType;
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

/** InferenceServices, their parts and observed pods for the tests. */
public final class Fixtures {

  public static final String IMAGE = "inferops/inference-app:0.1.0";

  private Fixtures() {}

  public static InferenceService inferenceService(Consumer<InferenceServiceSpec> customizer) {
    InferenceService is =
        new InferenceServiceBuilder()
            .withNewMetadata()
            .withName("heart")
            .withNamespace("ml")
            .withUid("uid-1")
            .withGeneration(3L)
            .endMetadata()
            .withNewSpec()
            .withImage(IMAGE)
            .endSpec()
            .build();
    customizer.accept(is.getSpec());
    return is;
  }

  public static InferenceService inferenceService() {
    return inferenceService(spec -> {});
  }

  /** A rolling Deployment InferenceService with {@code strategy.autoRollback}. */
  public static InferenceService autoRollback() {
    return inferenceService(spec -> spec.setStrategy(autoRollbackStrategy().build()));
  }

  /** A strategy of type RollingUpdate, for the test to refine. */
  public static DeploymentStrategySpecBuilder rollingUpdate() {
    return new DeploymentStrategySpecBuilder().withType(StrategyType.RollingUpdate);
  }

  /** A strategy with {@code autoRollback} and no type (RollingUpdate by default). */
  public static DeploymentStrategySpecBuilder autoRollbackStrategy() {
    return new DeploymentStrategySpecBuilder().withAutoRollback(true);
  }

  /** A strategy of type BlueGreen, for the test to refine. */
  public static DeploymentStrategySpecBuilder blueGreen() {
    return new DeploymentStrategySpecBuilder().withType(StrategyType.BlueGreen);
  }

  /**
   * Blue-green for the simulated cluster: its pods have fake IPs, so no smoke request may be sent
   * to them; the old version is scaled down 1 s after the switch.
   */
  public static DeploymentStrategySpecBuilder blueGreenWithoutSmokeTest() {
    return blueGreen()
        .withNewBlueGreen()
        .withScaleDownDelaySeconds(1)
        .withNewSmokeTest()
        .withEnabled(false)
        .endSmokeTest()
        .endBlueGreen();
  }

  /** A strategy of type Canary, for the test to refine. */
  public static DeploymentStrategySpecBuilder canary() {
    return new DeploymentStrategySpecBuilder().withType(StrategyType.Canary);
  }

  /** The model from the ConfigMap of that name, for the test to refine. */
  public static ModelSpecBuilder model(String configMapName) {
    return new ModelSpecBuilder().withConfigMapName(configMapName);
  }

  /** The model file at {@code path} in the PersistentVolumeClaim {@code claimName}. */
  public static ModelSpecBuilder modelFromClaim(String claimName, String path) {
    return new ModelSpecBuilder().withNewPvc().withClaimName(claimName).withPath(path).endPvc();
  }

  /** The model downloaded from {@code url}, checked against {@code sha256} unless null. */
  public static ModelSpecBuilder modelFromUrl(String url, String sha256) {
    return new ModelSpecBuilder().withNewUrl().withUrl(url).withSha256(sha256).endUrl();
  }

  /** App settings with the given start delay, for the test to refine. */
  public static AppSpecBuilder startDelay(int seconds) {
    return new AppSpecBuilder().withStartDelaySeconds(seconds);
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
