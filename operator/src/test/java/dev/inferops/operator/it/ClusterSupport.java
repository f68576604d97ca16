package dev.inferops.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.OperatorSettings;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the integration tests: a client for the cluster in KUBECONFIG, the CRD applied from
 * crds/, a fresh namespace per test and the operator running in-process on that namespace.
 */
public abstract class ClusterSupport {

  public static final String IMAGE_V1 = "inferops/inference-app:0.1.0";
  public static final String IMAGE_V2 = "inferops/inference-app:0.2.0";
  public static final Duration TIMEOUT = Duration.ofSeconds(90);

  protected static KubernetesClient client;
  protected String namespace;
  protected InferenceOperator operator;

  @BeforeAll
  static void connectAndInstallCrd() throws IOException {
    if (client == null) {
      client = new KubernetesClientBuilder().build();
      // Fails (not skips) the test when no cluster is reachable.
      assertThat(client.getKubernetesVersion().getGitVersion()).isNotBlank();
      installCrd(client);
    }
  }

  /** Server-side applies the committed CRD and waits until it is Established. */
  public static void installCrd(KubernetesClient client) throws IOException {
    Path crdFile = repoRoot().resolve("crds/" + InferenceServiceConstants.CRD_NAME + "-v1.yml");
    CustomResourceDefinition crd;
    try (InputStream in = new FileInputStream(crdFile.toFile())) {
      crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    }
    client
        .resource(crd)
        .fieldManager("inference-operator-tests")
        .forceConflicts()
        .serverSideApply();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .withName(InferenceServiceConstants.CRD_NAME)
                            .get()
                            .getStatus()
                            .getConditions())
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  public static Path repoRoot() {
    String root = System.getProperty("inferops.repo.root");
    Path path = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
    while (path != null && !Files.exists(path.resolve("crds"))) {
      path = path.getParent();
    }
    if (path == null) {
      throw new IllegalStateException("Cannot find the repository root (a folder with crds/)");
    }
    return path;
  }

  @BeforeEach
  void createNamespace(TestInfo info) {
    String method = info.getTestMethod().map(m -> m.getName()).orElse("test");
    String base =
        (getClass().getSimpleName() + "-" + method)
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    if (base.length() > 50) {
      base = base.substring(0, 50);
    }
    namespace = base + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("inferops.dev/test", "true")
                .addToLabels("pod-security.kubernetes.io/enforce", "restricted")
                .endMetadata()
                .build())
        .create();
    if (startsOperator()) {
      operator = InferenceOperator.start(client, operatorSettings());
    }
  }

  @AfterEach
  void deleteNamespace() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
    client.namespaces().withName(namespace).delete();
  }

  /** Whether this test class needs the operator running. */
  protected boolean startsOperator() {
    return true;
  }

  protected OperatorSettings operatorSettings() {
    return OperatorSettings.defaults()
        .withWatchNamespaces(Set.of(namespace))
        .withHttp("127.0.0.1", 0);
  }

  protected MixedOperation<
          InferenceService, KubernetesResourceList<InferenceService>, Resource<InferenceService>>
      inferenceServices() {
    return client.resources(InferenceService.class);
  }

  protected Resource<InferenceService> inferenceService(String name) {
    return inferenceServices().inNamespace(namespace).withName(name);
  }

  /** An InferenceService with the given image and replicas; other fields via the customizer. */
  protected InferenceService newInferenceService(
      String name, int replicas, Consumer<InferenceServiceSpec> customizer) {
    InferenceService is = new InferenceService();
    is.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    InferenceServiceSpec spec = new InferenceServiceSpec();
    spec.setImage(IMAGE_V1);
    spec.setReplicas(replicas);
    customizer.accept(spec);
    is.setSpec(spec);
    return is;
  }

  protected InferenceService create(InferenceService is) {
    return inferenceServices().inNamespace(namespace).resource(is).create();
  }

  /** Changes the spec with a JSON merge patch computed from the edit (no conflicts on status). */
  protected InferenceService editSpec(String name, Consumer<InferenceServiceSpec> edit) {
    return inferenceService(name)
        .edit(
            is -> {
              edit.accept(is.getSpec());
              return is;
            });
  }

  protected void awaitPhase(String name, Phase phase) {
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () -> {
              InferenceService is = inferenceService(name).get();
              assertThat(is.getStatus()).as("status of %s", name).isNotNull();
              assertThat(is.getStatus().getObservedGeneration())
                  .isEqualTo(is.getMetadata().getGeneration());
              assertThat(is.getStatus().getPhase()).isEqualTo(phase);
            });
  }

  /** The Deployment of that name in the test namespace, or null. */
  protected Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /** The ReplicaSet of that name in the test namespace, or null. */
  protected ReplicaSet replicaSet(String name) {
    return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
  }

  protected List<Pod> pods(String instance) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel("app.kubernetes.io/instance", instance)
        .list()
        .getItems();
  }

  protected List<Pod> livePods(String instance) {
    return pods(instance).stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }
}
