package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.AppSpecBuilder;
import dev.inferops.operator.api.v1alpha1.CrashMode;
import dev.inferops.operator.api.v1alpha1.ImagePullPolicy;
import dev.inferops.operator.api.v1alpha1.ProbesSpecBuilder;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodTemplatesTest {

  private static Container container(PodTemplateSpec template) {
    return template.getSpec().getContainers().get(0);
  }

  @Test
  void defaultsGiveARestrictedPodOnPort8000WithDefaultResourcesAndProbes() {
    PodTemplateSpec template =
        PodTemplates.desired(inferenceService(), WorkloadKind.Deployment, null);

    assertThat(template.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "inference-service")
        .containsEntry("app.kubernetes.io/instance", "heart")
        .containsEntry("app.kubernetes.io/managed-by", "inference-operator")
        .containsEntry("inferops.dev/workload", "Deployment");
    assertThat(template.getMetadata().getAnnotations())
        .containsKeys("inferops.dev/config-hash", "inferops.dev/template-hash");

    var pod = template.getSpec();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");

    Container c = container(template);
    assertThat(c.getName()).isEqualTo("inference");
    assertThat(c.getImage()).isEqualTo(Fixtures.IMAGE);
    assertThat(c.getImagePullPolicy()).isNull();
    assertThat(c.getTerminationMessagePolicy())
        .as("a crash at start leaves its last log lines in the pod status")
        .isEqualTo("FallbackToLogsOnError");
    assertThat(c.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getContainerPort()).isEqualTo(8000);
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getProtocol()).isEqualTo("TCP");
            });
    assertThat(c.getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("heart-config"));
    assertThat(c.getEnv()).isEmpty();
    assertThat(c.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("128Mi"));
    assertThat(c.getResources().getLimits())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(c.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
    assertThat(c.getReadinessProbe().getInitialDelaySeconds()).as("zero is left out").isNull();
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(5);
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
    assertThat(c.getLivenessProbe().getInitialDelaySeconds()).isEqualTo(10);
    assertThat(c.getLivenessProbe().getFailureThreshold()).isEqualTo(3);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
  }

  @Test
  void appliesPortPullPolicyResourcesProbesAppSettingsEnvAndModel() {
    var is =
        inferenceService(
            spec -> {
              spec.setPort(9000);
              spec.setImagePullPolicy(ImagePullPolicy.Always);
              spec.setResources(
                  new ResourceRequirementsBuilder()
                      .addToRequests("cpu", new Quantity("250m"))
                      .build());
              spec.setProbes(
                  new ProbesSpecBuilder()
                      .withNewReadiness()
                      .withPath("/v2/health/ready")
                      .withInitialDelaySeconds(2)
                      .withPeriodSeconds(3)
                      .withTimeoutSeconds(4)
                      .withFailureThreshold(6)
                      .endReadiness()
                      .build());
              spec.setApp(
                  new AppSpecBuilder()
                      .withStartDelaySeconds(5)
                      .withCrashAfterSeconds(30)
                      .withCrashMode(CrashMode.UNHEALTHY)
                      .build());
              spec.setEnv(List.of(new EnvVar("LOG_LEVEL", "debug", null)));
              spec.setModel(Fixtures.model("models").withKey("heart.json").build());
            });
    Container c = container(PodTemplates.desired(is, WorkloadKind.Pod, null));

    assertThat(c.getPorts().get(0).getContainerPort()).isEqualTo(9000);
    assertThat(c.getImagePullPolicy()).isEqualTo("Always");
    assertThat(c.getResources().getRequests()).containsOnlyKeys("cpu");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(c.getReadinessProbe().getInitialDelaySeconds()).isEqualTo(2);
    assertThat(c.getReadinessProbe().getPeriodSeconds()).isEqualTo(3);
    assertThat(c.getReadinessProbe().getTimeoutSeconds()).isEqualTo(4);
    assertThat(c.getReadinessProbe().getFailureThreshold()).isEqualTo(6);
    assertThat(c.getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly(
            "CRASH_AFTER_SECONDS=30",
            "CRASH_MODE=unhealthy",
            "START_DELAY_SECONDS=5",
            "LOG_LEVEL=debug");
    assertThat(c.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getMountPath()).isEqualTo("/models");
              assertThat(m.getReadOnly()).isTrue();
            });
    var pod = PodTemplates.desired(is, WorkloadKind.Pod, null).getSpec();
    assertThat(pod.getVolumes())
        .filteredOn(v -> "model".equals(v.getName()))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.getConfigMap().getName()).isEqualTo("models");
              assertThat(v.getConfigMap().getItems().get(0).getKey()).isEqualTo("heart.json");
              assertThat(v.getConfigMap().getItems().get(0).getPath()).isEqualTo("model.json");
            });
    assertThat(AppSettings.all(is)).containsEntry("MODEL_PATH", "/models/model.json");
  }

  @Test
  void userEnvWinsOverAppSettingsWithoutDuplicates() {
    var is =
        inferenceService(
            spec -> {
              spec.setApp(Fixtures.startDelay(5).build());
              spec.setEnv(List.of(new EnvVar("START_DELAY_SECONDS", "1", null)));
            });
    assertThat(container(PodTemplates.desired(is, WorkloadKind.Pod, null)).getEnv())
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("START_DELAY_SECONDS=1");
  }

  @Test
  void templateHashIsStableAndFollowsTheSpec() {
    String hash = PodTemplates.templateHash(inferenceService(), WorkloadKind.Deployment, null);
    assertThat(PodTemplates.templateHash(inferenceService(), WorkloadKind.Deployment, null))
        .isEqualTo(hash);
    assertThat(PodTemplates.templateHash(inferenceService(), WorkloadKind.ReplicaSet, null))
        .isNotEqualTo(hash);
    assertThat(
            PodTemplates.templateHash(
                inferenceService(s -> s.setImage("other:1")), WorkloadKind.Deployment, null))
        .isNotEqualTo(hash);
    assertThat(
            PodTemplates.templateHash(
                inferenceService(s -> s.setReplicas(7)), WorkloadKind.Deployment, null))
        .as("replicas are not part of the template")
        .isEqualTo(hash);
  }

  @Test
  void configHashChangesWithTheSettings() {
    String hash =
        PodTemplates.desired(inferenceService(), WorkloadKind.Deployment, null)
            .getMetadata()
            .getAnnotations()
            .get("inferops.dev/config-hash");
    String other =
        PodTemplates.desired(inferenceService(s -> s.setPort(9000)), WorkloadKind.Deployment, null)
            .getMetadata()
            .getAnnotations()
            .get("inferops.dev/config-hash");
    assertThat(other).isNotEqualTo(hash);
  }
}
