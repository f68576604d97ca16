package dev.inferops.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated CRD (the build checks that crds/ holds the same file). */
class CrdTest {

  private static String generatedYaml() throws IOException {
    try (InputStream in =
        CrdTest.class.getResourceAsStream(
            "/META-INF/fabric8/inferenceservices.inferops.dev-v1.yml")) {
      assertThat(in).as("generated CRD on the classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static CustomResourceDefinition crd() throws IOException {
    return Serialization.unmarshal(generatedYaml(), CustomResourceDefinition.class);
  }

  @Test
  void namesScaleSubresourceAndPrinterColumns() throws IOException {
    var crd = crd();
    assertThat(crd.getSpec().getGroup()).isEqualTo("inferops.dev");
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("infsvc");
    var version = crd.getSpec().getVersions().get(0);
    assertThat(version.getName()).isEqualTo("v1alpha1");
    var scale = version.getSubresources().getScale();
    assertThat(scale.getSpecReplicasPath()).isEqualTo(".spec.replicas");
    assertThat(scale.getStatusReplicasPath()).isEqualTo(".status.replicas");
    assertThat(scale.getLabelSelectorPath()).isEqualTo(".status.selector");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName() + " " + c.getJsonPath())
        .containsExactly(
            "Workload .spec.workload",
            "Strategy .spec.strategy.type",
            "Desired .spec.replicas",
            "Ready .status.readyReplicas",
            "Phase .status.phase",
            "Image .spec.image",
            "Age .metadata.creationTimestamp",
            "Active .status.rollout.activeRevision",
            "Canary% .status.rollout.canary.reachedWeight",
            "Preview .status.rollout.previewRevision");
  }

  @Test
  void everySpecAndStatusFieldHasADescription() throws IOException {
    var schema = crd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    List<String> missing = new ArrayList<>();
    for (String root : List.of("spec", "status")) {
      JSONSchemaProps props = schema.getProperties().get(root);
      props.getProperties().forEach((name, p) -> collectMissing(root + "." + name, p, missing));
    }
    assertThat(missing).isEmpty();
  }

  private static final List<String> EMBEDDED_KUBERNETES_TYPES =
      List.of(
          "spec.env",
          "spec.resources",
          "spec.tolerations",
          "spec.affinity",
          "spec.topologySpreadConstraints",
          "status.conditions");

  /** Own fields need a description; fields inside embedded Kubernetes types are theirs. */
  private static void collectMissing(String path, JSONSchemaProps props, List<String> missing) {
    if (props.getDescription() == null || props.getDescription().isBlank()) {
      missing.add(path);
    }
    if (EMBEDDED_KUBERNETES_TYPES.stream().anyMatch(path::startsWith)) {
      return;
    }
    Map<String, JSONSchemaProps> children =
        props.getItems() != null && props.getItems().getSchema() != null
            ? props.getItems().getSchema().getProperties()
            : props.getProperties();
    if (children != null) {
      children.forEach((name, child) -> collectMissing(path + "." + name, child, missing));
    }
  }

  @Test
  void postProcessingIsIdempotent() throws IOException {
    String yaml = generatedYaml();
    assertThat(CrdPostProcessor.process(yaml)).isEqualTo(yaml);
  }
}
