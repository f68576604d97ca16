package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable.Validation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server accepts every install manifest: a server-side dry-run apply with strict field
 * validation of the committed deploy/inference-operator.yaml and of the chart's rendering with its
 * main value variants (admission, schema, RBAC escalation checks and CRD validation included).
 */
class InstallManifestsDryRunIT {

  private static KubernetesClient client;
  private static String namespace;

  @BeforeAll
  static void setUp() {
    client = TestCluster.adminClientWithoutRetries();
    TestCluster.applyCrd(client);
    namespace = TestCluster.createNamespace(client, "install-dryrun", Map.of());
  }

  @AfterAll
  static void tearDown() {
    TestCluster.deleteNamespace(client, namespace);
    if (client != null) {
      client.close();
    }
  }

  @Test
  void committedInstallManifestsAreAccepted() {
    // The same objects in this test's namespace instead of inferops-system, which a dry run
    // cannot create first.
    String manifests =
        ChartRenderer.read(ChartRenderer.installManifestsFile())
            .replace(ChartRenderer.NAMESPACE, namespace);
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
    dryRunApply(ChartRenderer.objects(namespace, Map.of()));
  }

  @Test
  void chartWithWatchedNamespacesIsAccepted() {
    dryRunApply(ChartRenderer.objects(namespace, values("watchNamespaces[0]", namespace)));
  }

  @Test
  void chartWithAnInferenceServiceIsAccepted() {
    for (String workload : List.of("Pod", "ReplicaSet", "Deployment")) {
      dryRunApply(
          ChartRenderer.objects(
              namespace,
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
        ChartRenderer.objects(namespace, values("inferenceService.enabled", "true")).stream()
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
    return client
        .resource(object)
        .dryRun()
        .fieldValidation(Validation.STRICT)
        .fieldManager(TestCluster.FIELD_MANAGER)
        .forceConflicts()
        .serverSideApply();
  }
}
