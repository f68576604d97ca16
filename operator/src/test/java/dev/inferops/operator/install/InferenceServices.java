package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.values;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.util.List;
import java.util.Objects;

/**
 * InferenceServices for the install tests, made the way a chart user makes them: the chart's {@code
 * inferenceService} option renders the resource and its model ConfigMap.
 */
final class InferenceServices {

  static final String API_VERSION = "inferops.dev/v1alpha1";
  static final String KIND = "InferenceService";
  private static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private InferenceServices() {}

  /** The model ConfigMap and the InferenceService, as the chart renders them. */
  static List<HasMetadata> render(String namespace, String name, String workload, int replicas) {
    List<HasMetadata> objects =
        ChartRenderer.parse(
            ChartRenderer.template(
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
                KIND.equals(o.getKind())
                    || ("ConfigMap".equals(o.getKind())
                        && o.getMetadata().getName().equals(name + "-model")))
        .toList();
  }

  /** Creates or updates the InferenceService {@code name} and its model. */
  static void apply(
      KubernetesClient client, String namespace, String name, String workload, int replicas) {
    render(namespace, name, workload, replicas).forEach(o -> TestCluster.apply(client, o));
  }

  static GenericKubernetesResource get(KubernetesClient client, String namespace, String name) {
    return client
        .genericKubernetesResources(API_VERSION, KIND)
        .inNamespace(namespace)
        .withName(name)
        .get();
  }

  /** Status reports the current generation Ready with all replicas ready. */
  static boolean converged(
      KubernetesClient client, String namespace, String name, int expectedReplicas) {
    GenericKubernetesResource resource = get(client, namespace, name);
    if (resource == null || resource.getAdditionalProperties().get("status") == null) {
      return false;
    }
    Number observed = resource.get("status", "observedGeneration");
    Number ready = resource.get("status", "readyReplicas");
    return "Ready".equals(resource.get("status", "phase"))
        && observed != null
        && observed.longValue() == resource.getMetadata().getGeneration()
        && ready != null
        && ready.intValue() == expectedReplicas
        && readyPods(client, namespace, name).size() == expectedReplicas;
  }

  static String describeStatus(KubernetesClient client, String namespace, String name) {
    GenericKubernetesResource resource = get(client, namespace, name);
    return resource == null
        ? "(no InferenceService " + name + ")"
        : "generation "
            + resource.getMetadata().getGeneration()
            + ", status "
            + Objects.toString(resource.getAdditionalProperties().get("status"));
  }

  /** The pods of the InferenceService that are not being deleted. */
  static List<Pod> pods(KubernetesClient client, String namespace, String name) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(INSTANCE_LABEL, name)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static List<Pod> readyPods(KubernetesClient client, String namespace, String name) {
    return pods(client, namespace, name).stream().filter(Readiness::isPodReady).toList();
  }
}
