package dev.inferops.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.OperatorSettings;
import dev.inferops.operator.analysis.PodMetricsSource;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.RolloutStatus;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.SmokeClient;
import dev.inferops.operator.status.Conditions;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one harness of every test on a cluster (the one KUBECONFIG names), in the style of JOSDK's
 * {@code LocallyRunOperatorExtension}: a client, the committed CRD from crds/ (applied once per
 * JVM), a fresh namespace per test method (or per class), optionally the operator running
 * in-process on that namespace, and the wait and assert helpers the tests share.
 *
 * <p>An integration test ({@code *IT}) runs the operator in-process:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OperatorExtension cluster = OperatorExtension.withLocalOperator().build();
 *
 * @Test
 * void becomesReady() {
 *   cluster.create(cluster.newInferenceService("heart", 2, spec -> {}));
 *   cluster.awaitPhase("heart", Phase.Ready);
 * }
 * }</pre>
 *
 * <p>An end-to-end test ({@code *E2E}) runs its pods on the real node; the operator runs in-process
 * as in an integration test, with the real smoke client ({@code RealNode.localOperator()}), except
 * for {@code InClusterOperatorE2E}, which installs the chart and deploys the operator's own image
 * with {@link #withoutLocalOperator()}.
 *
 * <p>Tests that start operators of their own (leader election, a restricted client) use {@link
 * #withoutLocalOperator()} and hand them to {@link #startOperator}, which stops them with the
 * namespace. Register the extension in a {@code static} field, so it connects once per class.
 */
public final class OperatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

  public static final String IMAGE_V1 = "inferops/inference-app:0.1.0";
  public static final String IMAGE_V2 = "inferops/inference-app:0.2.0";
  public static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** Field manager of everything the tests apply. */
  public static final String FIELD_MANAGER = "inference-operator-tests";

  /** The labels of a test namespace unless the test names others: restricted Pod Security. */
  public static final Map<String, String> RESTRICTED =
      Map.of("pod-security.kubernetes.io/enforce", "restricted");

  private static final String TEST_LABEL = "inferops.dev/test";
  private static final Set<String> CRD_INSTALLED_ON = ConcurrentHashMap.newKeySet();
  private static KubernetesClient sharedClient;

  private final boolean localOperator;
  private final boolean namespacePerClass;
  private final Map<String, String> namespaceLabels;
  private final UnaryOperator<OperatorSettings> settings;
  private final Consumer<Config> clientConfig;
  private final SmokeClient smokeClient;
  private final PodMetricsSource metricsSource;
  private final List<InferenceOperator> operators = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private KubernetesClient client;
  private String namespace;
  private NamespacedKubernetesClient namespacedClient;
  private InferenceOperator operator;

  private OperatorExtension(Builder builder) {
    this.localOperator = builder.localOperator;
    this.namespacePerClass = builder.namespacePerClass;
    this.namespaceLabels = builder.namespaceLabels;
    this.settings = builder.settings;
    this.clientConfig = builder.clientConfig;
    this.smokeClient = builder.smokeClient;
    this.metricsSource = builder.metricsSource;
  }

  /**
   * The smoke client of in-process operators unless a test sets its own: simulated pods have fake
   * IPs, so no smoke request may leave the JVM; a blue-green test either turns the smoke test off
   * or answers through {@link Builder#smokeClient}.
   */
  public static final SmokeClient NO_NETWORK =
      (uri, body, timeout) -> {
        throw new java.io.IOException("no network for smoke tests on the simulated cluster");
      };

  /** The metrics source of in-process operators unless a test sets its own, for the same reason. */
  public static final PodMetricsSource NO_METRICS =
      (pod, port) -> {
        throw new java.io.IOException("no network for pod metrics on the simulated cluster");
      };

  /** The operator runs in-process on the test's namespace (integration tests). */
  public static Builder withLocalOperator() {
    return new Builder(true);
  }

  /** Only a client and a namespace: the operator runs elsewhere, or the test starts its own. */
  public static Builder withoutLocalOperator() {
    return new Builder(false);
  }

  /** How the extension sets up the cluster for one test class. */
  public static final class Builder {
    private final boolean localOperator;
    private boolean namespacePerClass;
    private Map<String, String> namespaceLabels = RESTRICTED;
    private UnaryOperator<OperatorSettings> settings = UnaryOperator.identity();
    private Consumer<Config> clientConfig;
    private SmokeClient smokeClient = NO_NETWORK;
    private PodMetricsSource metricsSource = NO_METRICS;

    private Builder(boolean localOperator) {
      this.localOperator = localOperator;
    }

    /** One namespace (and operator) for all tests of the class instead of one per test. */
    public Builder namespacePerClass() {
      this.namespacePerClass = true;
      return this;
    }

    /** Labels of the test namespace instead of {@link #RESTRICTED}. */
    public Builder namespaceLabels(Map<String, String> labels) {
      this.namespaceLabels = Map.copyOf(labels);
      return this;
    }

    /** Changes the local operator's settings (which watch the test namespace only). */
    public Builder operatorSettings(UnaryOperator<OperatorSettings> change) {
      this.settings = change;
      return this;
    }

    /** Where the local operator reads pods' metrics instead of {@link #NO_METRICS}. */
    public Builder metricsSource(PodMetricsSource source) {
      this.metricsSource = source;
      return this;
    }

    /** The smoke client of the local operator instead of {@link #NO_NETWORK}. */
    public Builder smokeClient(SmokeClient client) {
      this.smokeClient = client;
      return this;
    }

    /** A client of its own with this change to the KUBECONFIG configuration. */
    public Builder clientConfig(Consumer<Config> change) {
      this.clientConfig = change;
      return this;
    }

    public OperatorExtension build() {
      return new OperatorExtension(this);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    connect();
    if (namespacePerClass) {
      setUpNamespace(context.getRequiredTestClass().getSimpleName());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    connect();
    if (!namespacePerClass) {
      setUpNamespace(
          context.getRequiredTestClass().getSimpleName()
              + "-"
              + context.getTestMethod().map(m -> m.getName()).orElse("test"));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!namespacePerClass) {
      tearDownNamespace();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (namespacePerClass) {
      tearDownNamespace();
    }
    if (client != null && client != sharedClient) {
      client.close();
    }
    client = null;
  }

  /**
   * An admin client whose default namespace is the test's, so calls need no {@code inNamespace};
   * cluster-scoped and other namespaces' objects are reached as with any client.
   */
  public NamespacedKubernetesClient client() {
    return namespacedClient;
  }

  public String namespace() {
    return namespace;
  }

  /** The in-process operator; only with {@link #withLocalOperator()}. */
  public InferenceOperator operator() {
    if (operator == null) {
      throw new IllegalStateException("no local operator: the extension was built without one");
    }
    return operator;
  }

  /** The settings of an in-process operator on the test namespace, on a free local port. */
  public OperatorSettings operatorSettings() {
    return OperatorSettings.defaults()
        .withWatchNamespaces(Set.of(namespace))
        .withHttp("127.0.0.1", 0);
  }

  /**
   * Starts an operator of the test's own (with the client it is given, which for leader election
   * should be {@link #client()} or one the test made); it stops when the namespace goes.
   */
  public InferenceOperator startOperator(KubernetesClient client, OperatorSettings settings) {
    InferenceOperator started =
        InferenceOperator.start(client, settings, smokeClient, metricsSource);
    operators.add(started);
    return started;
  }

  /**
   * Starts the operator in a child JVM on the test namespace, with extra environment variables
   * (such as LEADER_ELECTION_ENABLED); it is killed when the namespace goes.
   */
  public ChildOperator startChildOperator(String identity, Map<String, String> env) {
    return closeWhenDone(ChildOperator.start(namespace, identity, env));
  }

  /** Closes something the test opened (a client of its own) once its operators have stopped. */
  public <T extends AutoCloseable> T closeWhenDone(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  private synchronized void connect() {
    if (client != null) {
      return;
    }
    if (clientConfig == null) {
      synchronized (OperatorExtension.class) {
        if (sharedClient == null) {
          sharedClient = connect(Config.autoConfigure(null));
        }
      }
      client = sharedClient;
    } else {
      Config config = Config.autoConfigure(null);
      clientConfig.accept(config);
      client = connect(config);
    }
    if (CRD_INSTALLED_ON.add(client.getConfiguration().getMasterUrl())) {
      installCrd();
    }
  }

  /** A client that answers; fails (the test does not skip) when no cluster is reachable. */
  private static KubernetesClient connect(Config config) {
    KubernetesClient connected = new KubernetesClientBuilder().withConfig(config).build();
    try {
      assertThat(connected.getKubernetesVersion().getGitVersion()).isNotBlank();
    } catch (RuntimeException e) {
      connected.close();
      throw new IllegalStateException(
          "no Kubernetes cluster at "
              + config.getMasterUrl()
              + ": start it with hack/local-cluster.sh up and export KUBECONFIG",
          e);
    }
    return connected;
  }

  /** Server-side applies the committed CRD and waits until it is Established. */
  private void installCrd() {
    CustomResourceDefinition crd;
    try (InputStream in = Files.newInputStream(Repository.crdFile())) {
      crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    apply(crd);
    await("CRD established")
        .atMost(Duration.ofSeconds(60))
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

  private void setUpNamespace(String testName) {
    String base = testName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
    if (base.length() > 50) {
      base = base.substring(0, 50);
    }
    namespace = base + "-" + UUID.randomUUID().toString().substring(0, 6);
    namespacedClient = client.adapt(NamespacedKubernetesClient.class).inNamespace(namespace);
    Map<String, String> labels = new LinkedHashMap<>(namespaceLabels);
    labels.put(TEST_LABEL, "true");
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    // Pods are rejected until the namespace's default ServiceAccount exists.
    await("default ServiceAccount in " + namespace)
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                client.serviceAccounts().inNamespace(namespace).withName("default").get() != null);
    if (localOperator) {
      operator = startOperator(client, settings.apply(operatorSettings()));
    }
  }

  private void tearDownNamespace() {
    try {
      operators.forEach(InferenceOperator::close);
      for (AutoCloseable closeable : closeables) {
        closeable.close();
      }
    } catch (Exception e) {
      throw new IllegalStateException("could not clean up after " + namespace, e);
    } finally {
      operators.clear();
      closeables.clear();
      operator = null;
      if (namespace != null) {
        client.namespaces().withName(namespace).delete();
        namespace = null;
        namespacedClient = null;
      }
    }
  }

  /** Creates or updates an object as the tests' field manager. */
  public <T extends HasMetadata> T apply(T object) {
    return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
  }

  public MixedOperation<
          InferenceService, KubernetesResourceList<InferenceService>, Resource<InferenceService>>
      inferenceServices() {
    return namespacedClient.resources(InferenceService.class);
  }

  public Resource<InferenceService> inferenceService(String name) {
    return inferenceServices().inNamespace(namespace).withName(name);
  }

  /** An InferenceService on {@link #IMAGE_V1} with the given replicas; the rest via customizer. */
  public InferenceService newInferenceService(
      String name, int replicas, Consumer<InferenceServiceSpec> customizer) {
    InferenceService is =
        new InferenceServiceBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withImage(IMAGE_V1)
            .withReplicas(replicas)
            .endSpec()
            .build();
    customizer.accept(is.getSpec());
    return is;
  }

  public InferenceService create(InferenceService is) {
    return inferenceServices().inNamespace(namespace).resource(is).create();
  }

  /** Creates or replaces the ConfigMap {@code name} holding {@code content} under {@code key}. */
  public void putBinaryConfigMap(String name, String key, byte[] content) {
    client()
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToBinaryData(key, java.util.Base64.getEncoder().encodeToString(content))
                .build())
        .serverSideApply();
  }

  /** Changes the spec with a patch computed from the edit, again after a conflict. */
  public InferenceService editSpec(String name, Consumer<InferenceServiceSpec> edit) {
    // The patch carries the resourceVersion it was computed from; the operator's status and
    // annotation writes can come in between, so a conflict is computed again on the fresh object.
    for (int attempt = 1; ; attempt++) {
      try {
        return inferenceService(name)
            .edit(
                is -> {
                  edit.accept(is.getSpec());
                  return is;
                });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * The status condition {@code type} of InferenceService {@code name}; an AssertionError when it
   * has none, so an {@code untilAsserted} wait tries again.
   */
  public Condition condition(String name, String type) {
    InferenceService is = inferenceService(name).get();
    List<Condition> conditions =
        is == null || is.getStatus() == null ? List.of() : is.getStatus().getConditions();
    return Conditions.find(conditions, type)
        .orElseThrow(() -> new AssertionError(name + " has no " + type + " condition"));
  }

  /**
   * Waits until the rollout status of {@code name}, written for its current generation, meets
   * {@code condition}, and returns it.
   */
  public RolloutStatus awaitRollout(String name, Predicate<RolloutStatus> condition) {
    return await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              InferenceService is = inferenceService(name).get();
              return is.getStatus() == null
                      || is.getStatus().getRollout() == null
                      || !Objects.equals(
                          is.getStatus().getObservedGeneration(), is.getMetadata().getGeneration())
                  ? null
                  : is.getStatus().getRollout();
            },
            r -> r != null && condition.test(r));
  }

  /** Waits until the status reports the current generation in the given phase. */
  public void awaitPhase(String name, Phase phase) {
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

  /**
   * Asserts that the status reports the current generation Ready with {@code replicas} ready pods,
   * and that so many pods are ready; for use inside {@code untilAsserted}.
   */
  public void assertConverged(String name, int replicas) {
    InferenceService is = inferenceService(name).get();
    assertThat(is).as("InferenceService %s", name).isNotNull();
    String described =
        "generation " + is.getMetadata().getGeneration() + ", status " + is.getStatus();
    assertThat(is.getStatus()).as(described).isNotNull();
    assertThat(is.getStatus().getPhase()).as(described).isEqualTo(Phase.Ready);
    assertThat(is.getStatus().getObservedGeneration())
        .as(described)
        .isEqualTo(is.getMetadata().getGeneration());
    assertThat(is.getStatus().getReadyReplicas()).as(described).isEqualTo(replicas);
    assertThat(livePods(name).stream().filter(PodStates::isReady).count())
        .as("ready pods of %s", name)
        .isEqualTo(replicas);
  }

  /** Creates a ConfigMap holding one key, such as a model ConfigMap. */
  public ConfigMap createConfigMap(String name, String key, String value) {
    return namespacedClient
        .configMaps()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .addToData(key, value)
                .build())
        .create();
  }

  /**
   * Creates a PersistentVolumeClaim already bound to a volume of its own, such as a claim holding
   * models: the scheduler places no pod whose claim is unbound, and the test cluster has no
   * provisioner. The simulated pods read nothing from it; the volume (cluster-scoped) is deleted
   * with the test's namespace.
   */
  public PersistentVolumeClaim createBoundClaim(String name) {
    String volume = namespace + "-" + name;
    client
        .persistentVolumes()
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(volume)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("")
                .withAccessModes("ReadOnlyMany")
                .addToCapacity("storage", new Quantity("1Gi"))
                .withNewHostPath()
                .withPath("/tmp/" + volume)
                .endHostPath()
                .withNewClaimRef()
                .withNamespace(namespace)
                .withName(name)
                .endClaimRef()
                .endSpec()
                .build())
        .create();
    closeWhenDone(() -> client.persistentVolumes().withName(volume).delete());
    namespacedClient
        .persistentVolumeClaims()
        .resource(
            new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withStorageClassName("")
                .withVolumeName(volume)
                .withAccessModes("ReadOnlyMany")
                .withNewResources()
                .addToRequests("storage", new Quantity("1Gi"))
                .endResources()
                .endSpec()
                .build())
        .create();
    await()
        .atMost(TIMEOUT)
        .untilAsserted(
            () ->
                assertThat(
                        namespacedClient
                            .persistentVolumeClaims()
                            .withName(name)
                            .get()
                            .getStatus()
                            .getPhase())
                    .as("claim %s bound to %s", name, volume)
                    .isEqualTo("Bound"));
    return namespacedClient.persistentVolumeClaims().withName(name).get();
  }

  /** The Deployment of that name in the test namespace, or null. */
  public Deployment deployment(String name) {
    return client.apps().deployments().inNamespace(namespace).withName(name).get();
  }

  /** The ReplicaSet of that name in the test namespace, or null. */
  public ReplicaSet replicaSet(String name) {
    return client.apps().replicaSets().inNamespace(namespace).withName(name).get();
  }

  /** The pods of an InferenceService, of any workload kind, including those being deleted. */
  public List<Pod> pods(String instance) {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(ResourceNaming.LABEL_INSTANCE, instance)
        .list()
        .getItems();
  }

  /** The pods of an InferenceService that are not being deleted. */
  public List<Pod> livePods(String instance) {
    return Pods.live(pods(instance));
  }
}
