package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server accepts every install manifest: a server-side dry-run apply with strict field
 * validation of the committed deploy/inference-operator.yaml and of the chart's rendering with its
 * main value variants (admission, schema, RBAC escalation checks and CRD validation included).
 */
class InstallManifestsDryRunIT {

  // The API server answers a server-side apply that fails validation with a 500, which the
  // client would otherwise retry for about 20 seconds.
  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withoutLocalOperator()
          .namespacePerClass()
          .namespaceLabels(Map.of())
          .clientConfig(config -> config.setRequestRetryBackoffLimit(0))
          .build();

  @Test
  void committedInstallManifestsAreAccepted() {
    // The same objects in this test's namespace instead of inferops-system, which a dry run
    // cannot create first.
    String manifests =
        ChartRenderer.read(ChartRenderer.installManifestsFile())
            .replace(ChartRenderer.NAMESPACE, cluster.namespace());
    List<HasMetadata> objects = ChartRenderer.parse(manifests);

    assertThat(objects)
        .extracting(HasMetadata::getKind)
        .contains(
            "CustomResourceDefinition",
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Role",
            "RoleBinding",
            "Deployment");
    dryRunApply(objects);
  }

  @Test
  void chartWithDefaultValuesIsAccepted() {
    dryRunApply(ChartRenderer.objects(cluster.namespace(), Map.of()));
  }

  @Test
  void chartWithWatchedNamespacesIsAccepted() {
    dryRunApply(
        ChartRenderer.objects(
            cluster.namespace(), values("watchNamespaces[0]", cluster.namespace())));
  }

  @Test
  void chartWithAnInferenceServiceIsAccepted() {
    for (String workload : List.of("Pod", "ReplicaSet", "Deployment")) {
      dryRunApply(
          ChartRenderer.objects(
              cluster.namespace(),
              values(
                  "inferenceService.enabled", "true",
                  "inferenceService.workload", workload,
                  "inferenceService.extraSpec.app.startDelaySeconds", "2")));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void dryRunRejectsWhatTheApiServerWouldReject() {
    // Guards the checks above against passing vacuously: an unknown field fails strict validation.
    GenericKubernetesResource resource =
        ChartRenderer.objects(cluster.namespace(), values("inferenceService.enabled", "true"))
            .stream()
            .filter(GenericKubernetesResource.class::isInstance)
            .map(GenericKubernetesResource.class::cast)
            .filter(o -> "InferenceService".equals(o.getKind()))
            .findFirst()
            .orElseThrow();
    ((Map<String, Object>) resource.getAdditionalProperties().get("spec")).put("replicaz", 2);

    assertThatThrownBy(() -> dryRun(resource))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("field not declared in schema")
        .hasMessageContaining("replicaz");
  }

  private static void dryRunApply(List<HasMetadata> objects) {
    assertThat(objects).isNotEmpty();
    for (HasMetadata object : objects) {
      assertThatCode(() -> dryRun(object))
          .as(
              "server-side dry-run apply of %s %s",
              object.getKind(), object.getMetadata().getName())
          .doesNotThrowAnyException();
    }
  }

  private static HasMetadata dryRun(HasMetadata object) {
    return cluster
        .client()
        .resource(object)
        .dryRun()
        .fieldValidation(Validation.STRICT)
        .fieldManager(OperatorExtension.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }
}
