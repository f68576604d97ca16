package dev.inferops.operator.install;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The local cluster as the install tests use it: an admin client, test namespaces, the CRD. */
final class TestCluster {

  static final String CRD_NAME = "inferenceservices.inferops.dev";
  static final String FIELD_MANAGER = "inference-operator-install-tests";

  private TestCluster() {}

  /** An admin client from KUBECONFIG; fails (the test does not skip) when no cluster answers. */
  static KubernetesClient adminClient() {
    return connect(Config.autoConfigure(null));
  }

  /**
   * An admin client that does not retry: the API server answers a server-side apply that fails
   * validation with a 500, which the client would otherwise retry for about 20 seconds.
   */
  static KubernetesClient adminClientWithoutRetries() {
    Config config = Config.autoConfigure(null);
    config.setRequestRetryBackoffLimit(0);
    return connect(config);
  }

  private static KubernetesClient connect(Config config) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      client.getKubernetesVersion();
    } catch (RuntimeException e) {
      client.close();
      throw new IllegalStateException(
          "no Kubernetes cluster at "
              + client.getConfiguration().getMasterUrl()
              + ": start it with hack/local-cluster.sh up and export KUBECONFIG",
          e);
    }
    return client;
  }

  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a namespace with a random suffix and waits until pods can be created in it. */
  static String createNamespace(
      KubernetesClient client, String prefix, Map<String, String> labels) {
    String name = uniqueName(prefix);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    return name;
  }

  static void deleteNamespace(KubernetesClient client, String name) {
    if (client != null && name != null) {
      client.namespaces().withName(name).delete();
    }
  }

  /** Applies the chart's CRD (the generated one) and waits until its API is served. */
  static void applyCrd(KubernetesClient client) {
    for (HasMetadata crd : ChartRenderer.parse(ChartRenderer.read(ChartRenderer.generatedCrd()))) {
      client.resource(crd).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              CustomResourceDefinition crd =
                  client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get();
              return crd != null
                  && crd.getStatus() != null
                  && crd.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }

  /** Creates or updates an object as this test suite's field manager. */
  static <T extends HasMetadata> T apply(KubernetesClient client, T object) {
    return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }
}
