package dev.inferops.operator.install;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import dev.inferops.operator.testsupport.Repository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders charts/inference-operator with the Helm library, the single source of the install
 * manifests: the committed deploy/inference-operator.yaml is {@link #installManifests()}.
 */
final class ChartRenderer {

  static final String RELEASE = "inference-operator";
  static final String NAMESPACE = "inferops-system";
  static final String OPERATOR_IMAGE = "inferops/inference-operator:0.1.0";
  // helm-java renders for Kubernetes 1.20 unless told; the chart requires 1.27 or newer.
  private static final String KUBE_VERSION = "v1.33.0";
  private static final String HEADER =
      """
      # The inference operator: CRD, namespace, RBAC and the operator Deployment.
      # Rendered from charts/inference-operator by `make generate`; do not edit.
      #   kubectl apply --server-side -f deploy/inference-operator.yaml
      """;

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ChartRenderer() {}

  static Path chartDir() {
    return Repository.resolve("charts/inference-operator");
  }

  static Path chartCrd() {
    return chartDir().resolve("crds").resolve(Repository.crdFile().getFileName());
  }

  static Path appModel() {
    return Repository.resolve("inference-app/src/main/resources/model/heart.json");
  }

  static Path chartModel() {
    return chartDir().resolve("files/heart.json");
  }

  static Path installManifestsFile() {
    return Repository.resolve("deploy/inference-operator.yaml");
  }

  /** {@code helm template} of the chart's templates (without its crds/ folder). */
  static String template(String namespace, Map<String, String> values) {
    TemplateCommand command =
        new Helm(chartDir())
            .template()
            .withName(RELEASE)
            .withNamespace(namespace)
            .withKubeVersion(KUBE_VERSION);
    values.forEach(command::set);
    return command.call();
  }

  /** What {@code helm template --include-crds} prints for a kubectl user's install. */
  static String installManifests() {
    return HEADER
        + "---\n"
        + read(Repository.crdFile()).strip()
        + "\n"
        + template(NAMESPACE, Map.of("namespace.create", "true")).strip()
        + "\n";
  }

  /**
   * An InferenceService made the way a chart user makes one: the chart's {@code inferenceService}
   * option renders it with its model ConfigMap, which come first.
   */
  static List<HasMetadata> inferenceService(
      String namespace, String name, String workload, int replicas) {
    List<HasMetadata> objects =
        parse(
            template(
                namespace,
                values(
                    "inferenceService.enabled",
                    "true",
                    "inferenceService.name",
                    name,
                    "inferenceService.workload",
                    workload,
                    "inferenceService.replicas",
                    String.valueOf(replicas))));
    return objects.stream()
        .filter(
            o ->
                InferenceServiceConstants.KIND.equals(o.getKind())
                    || ("ConfigMap".equals(o.getKind())
                        && o.getMetadata().getName().equals(name + "-model")))
        .toList();
  }

  /** The chart's CRD followed by its templates, as objects. */
  static List<HasMetadata> objects(String namespace, Map<String, String> values) {
    List<HasMetadata> objects = new ArrayList<>(parse(read(chartCrd())));
    objects.addAll(parse(template(namespace, values)));
    return objects;
  }

  static List<HasMetadata> parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    List<HasMetadata> objects = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      for (Object item : list) {
        objects.add((HasMetadata) item);
      }
    } else if (parsed instanceof KubernetesResource) {
      objects.add((HasMetadata) parsed);
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T single(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = ofKind(objects, type);
    if (matches.size() != 1) {
      throw new AssertionError(
          "expected one " + type.getSimpleName() + " in the chart, found " + matches.size());
    }
    return matches.get(0);
  }

  static Map<String, String> values(String... keysAndValues) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      values.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return values;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
