package dev.inferops.operator.dependent;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceConstants;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.reconciler.InferenceServiceReconciler;
import dev.inferops.operator.reconciler.UnitReconcilers;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.testsupport.RecordedEvents;
import dev.inferops.operator.testsupport.Repository;
import dev.inferops.operator.testsupport.TestContext;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files of every object the operator generates for each example under {@code examples/}, so
 * an upgrade that would change them (above all a pod template, which rolls every pod) fails here
 * first.
 *
 * <p>Each InferenceService of an example (with the ConfigMaps the example ships, as the model
 * ConfigMap informer would show them) is reconciled by the real reconciler against a small
 * simulated cluster until nothing changes any more: the workflow's dependents, with their reconcile
 * preconditions, give the objects; the cluster marks Deployments, ReplicaSets and pods ready. The
 * objects of that steady state, serialized with sorted keys, must equal {@code
 * operator/src/test/resources/golden/<example>.yaml}.
 *
 * <p>After an intended change, regenerate the files and review their diff before committing it:
 *
 * <pre>
 * ./mvnw -B -pl operator test -Dtest=GeneratedObjectsGoldenTest -Dgolden.update=true
 * </pre>
 */
class GeneratedObjectsGoldenTest {

  /** System property that rewrites the golden files instead of comparing with them. */
  static final String UPDATE_PROPERTY = "golden.update";

  private static final String REGENERATE =
      "./mvnw -B -pl operator test -Dtest=GeneratedObjectsGoldenTest -D"
          + UPDATE_PROPERTY
          + "=true";
  private static final String NAMESPACE = "examples";
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final int MAX_RECONCILES = 10;
  private static final int MAX_DIFF_FIELDS = 30;
  private static final Pattern TEMPLATE_HASH =
      Pattern.compile("inferops\\.dev/template-hash: (\\S+)");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();
  // Sorted keys, no line folding and quoted numeric strings: stable across Jackson and fabric8
  // versions, and "8000" in an env var does not read like a number.
  private static final ObjectMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  @TestFactory
  Stream<DynamicTest> everyExampleGeneratesTheObjectsOfItsGoldenFile() {
    List<Path> examples = examples();
    if (examples.isEmpty()) {
      fail("no examples/*.yaml found under " + Repository.root());
    }
    return examples.stream()
        .map(example -> dynamicTest(example.getFileName().toString(), () -> check(example)));
  }

  @Test
  void everyGoldenFileHasItsExample() throws IOException {
    List<String> examples = examples().stream().map(p -> p.getFileName().toString()).toList();
    if (!Files.isDirectory(goldenDir())) {
      return; // nothing stale; the examples' own tests say their files are missing
    }
    List<Path> stale;
    try (Stream<Path> files = Files.list(goldenDir())) {
      stale = files.filter(p -> !examples.contains(p.getFileName().toString())).sorted().toList();
    }
    if (stale.isEmpty()) {
      return;
    }
    if (updating()) {
      for (Path file : stale) {
        Files.delete(file);
        System.out.println("golden: deleted " + Repository.root().relativize(file));
      }
      return;
    }
    fail(
        "golden files without an example in examples/: "
            + stale.stream().map(p -> p.getFileName().toString()).toList()
            + "; remove them or run "
            + REGENERATE);
  }

  private static void check(Path example) throws Exception {
    String actual = render(example);
    Path golden = goldenDir().resolve(example.getFileName().toString());
    String expected =
        Files.exists(golden)
            ? Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n")
            : null;
    if (actual.equals(expected)) {
      return;
    }
    String goldenName = Repository.root().relativize(golden).toString();
    if (updating()) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      System.out.println("golden: wrote " + goldenName);
      return;
    }
    String exampleName = "examples/" + example.getFileName();
    if (expected == null) {
      fail(
          "%s has no golden file %s yet. Generate it with%n  %s%nand commit it after a look."
              .formatted(exampleName, goldenName, REGENERATE));
    }
    String message =
        ("%s: the operator now generates other objects than %s.%n"
                + "%sChanged (golden -> now):%n%s"
                + "If the change is intended, and restarting the pods it names on an upgrade is"
                + " acceptable, regenerate with%n  %s%n"
                + "and commit the reviewed diff of the golden file.")
            .formatted(
                exampleName,
                goldenName,
                templateHashNote(expected, actual),
                diff(expected, actual),
                REGENERATE);
    fail(message);
  }

  /** The golden file's content for an example: a header, then every generated object. */
  private static String render(Path example) throws Exception {
    List<HasMetadata> objects = parse(example);
    Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    List<InferenceService> services = new ArrayList<>();
    for (HasMetadata object : objects) {
      if (object instanceof ConfigMap cm) {
        configMaps.put(cm.getMetadata().getName(), cm);
      } else if (object instanceof InferenceService is) {
        services.add(is);
      } else {
        throw new IllegalStateException(
            example.getFileName()
                + " ships a "
                + object.getKind()
                + ": decide whether the operator reads it and serve it in "
                + GeneratedObjectsGoldenTest.class.getSimpleName());
      }
    }
    StringBuilder out =
        new StringBuilder()
            .append("# What the operator generates for examples/")
            .append(example.getFileName())
            .append(" in namespace ")
            .append(NAMESPACE)
            .append(", once steady.\n")
            .append("# Written by GeneratedObjectsGoldenTest; regenerate with -D")
            .append(UPDATE_PROPERTY)
            .append("=true, never by hand.\n");
    for (InferenceService is : services) {
      for (HasMetadata object : steadyState(is, configMaps)) {
        out.append("---\n# ")
            .append(object.getKind())
            .append(' ')
            .append(object.getMetadata().getName())
            .append('\n')
            .append(yaml(object));
      }
    }
    return out.toString();
  }

  /**
   * Reconciles until the generated objects and the status stay the same, applying the objects to
   * the simulated cluster in between; the objects of that state, by kind and name.
   */
  private static List<HasMetadata> steadyState(
      InferenceService is, Map<String, ConfigMap> configMaps) throws Exception {
    prepare(is.getMetadata(), is.getMetadata().getName(), "InferenceService");
    EventRecorder events = new RecordedEvents();
    Reconciler<InferenceService> reconciler = UnitReconcilers.writingStatusInPlace(CLOCK, events);
    // The model informer serves the named ConfigMap of the InferenceService's namespace only.
    Optional<ConfigMap> model =
        Optional.ofNullable(is.getSpec().getModel()).map(m -> configMaps.get(m.getConfigMapName()));
    SimulatedCluster cluster = new SimulatedCluster();
    String previous = null;
    for (int i = 0; i < MAX_RECONCILES; i++) {
      TestContext context = TestContext.secondaries(cluster.objects());
      if (model.isPresent()) {
        context = context.withNamed(ModelConfigMap.EVENT_SOURCE, model.get());
      }
      reconciler.reconcile(is, context);
      List<HasMetadata> generated = generate(is, context, cluster, events);
      String state =
          generated.stream().map(GeneratedObjectsGoldenTest::yaml).reduce("", String::concat)
              + yaml(is.getStatus());
      if (state.equals(previous)) {
        if (is.getStatus() == null || is.getStatus().getPhase() != Phase.Ready) {
          fail(
              "InferenceService %s settled without becoming Ready; status:%n%s"
                  .formatted(is.getMetadata().getName(), yaml(is.getStatus())));
        }
        return generated;
      }
      previous = state;
      cluster.apply(generated);
    }
    return fail(
        "InferenceService %s did not settle within %d reconciles"
            .formatted(is.getMetadata().getName(), MAX_RECONCILES));
  }

  /**
   * What the workflow of {@link InferenceServiceReconciler} creates or updates now: every dependent
   * whose conditions hold, with the owner reference JOSDK adds to garbage-collected ones.
   */
  private static List<HasMetadata> generate(
      InferenceService is,
      Context<InferenceService> context,
      SimulatedCluster cluster,
      EventRecorder events)
      throws Exception {
    Workflow workflow = InferenceServiceReconciler.class.getAnnotation(Workflow.class);
    List<HasMetadata> result = new ArrayList<>();
    for (Dependent spec : workflow.dependents()) {
      DependentResource<?, InferenceService> dependent = instantiate(spec.type(), events);
      if (!met(spec.activationCondition(), dependent, is, context)
          || !met(spec.reconcilePrecondition(), dependent, is, context)) {
        continue;
      }
      for (HasMetadata object : desired(dependent, is, context, cluster)) {
        if (dependent instanceof GarbageCollected<?>) {
          object.addOwnerReference(is);
        }
        result.add(object);
      }
    }
    result.sort(
        Comparator.comparing((HasMetadata o) -> o.getKind())
            .thenComparing(o -> o.getMetadata().getName()));
    return result;
  }

  @SuppressWarnings("unchecked")
  private static DependentResource<?, InferenceService> instantiate(
      Class<? extends DependentResource> type, EventRecorder events) throws Exception {
    // As OwnedDependentFactory does in the operator.
    return OwnedDependentResource.class.isAssignableFrom(type)
        ? type.getConstructor(EventRecorder.class).newInstance(events)
        : type.getConstructor().newInstance();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean met(
      Class<? extends Condition> type,
      DependentResource<?, InferenceService> dependent,
      InferenceService is,
      Context<InferenceService> context)
      throws Exception {
    if (type == Condition.class) {
      return true; // the annotation's default: no condition
    }
    Condition condition = type.getConstructor().newInstance();
    return condition.isMet((DependentResource) dependent, is, context);
  }

  @SuppressWarnings("unchecked")
  private static List<HasMetadata> desired(
      DependentResource<?, InferenceService> dependent,
      InferenceService is,
      Context<InferenceService> context,
      SimulatedCluster cluster)
      throws Exception {
    if (dependent instanceof RevisionsDependentResource<?> revisions) {
      return revisionObjects(revisions, is, context, cluster);
    }
    if (dependent instanceof BulkDependentResource<?, ?, ?> bulk) {
      return new ArrayList<>(
          ((BulkDependentResource<HasMetadata, InferenceService, ?>) bulk)
              .desiredResources(is, context)
              .values());
    }
    // JOSDK's desired(primary, context) is protected; each single dependent overrides it.
    Method method = desiredMethod(dependent.getClass());
    method.setAccessible(true);
    try {
      return List.of((HasMetadata) method.invoke(dependent, is, context));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Its desiredResources reads the actual revisions from its informer, which is not here. */
  private static <R extends HasMetadata> List<HasMetadata> revisionObjects(
      RevisionsDependentResource<R> dependent,
      InferenceService is,
      Context<InferenceService> context,
      SimulatedCluster cluster) {
    Map<String, R> actual =
        Revisions.byRevision(
            Revisions.ownRevisionObjects(is, cluster.ofType(dependent.resourceType())));
    return new ArrayList<>(dependent.desired(is, Plan.of(context), actual, context).values());
  }

  private static Method desiredMethod(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        return c.getDeclaredMethod("desired", InferenceService.class, Context.class);
      } catch (NoSuchMethodException e) {
        // declared further up
      }
    }
    throw new IllegalStateException(
        type.getName() + " has no desired(InferenceService, Context): teach this test to ask it");
  }

  /**
   * The API server's view of the applied objects, as the controllers and kubelet would make it:
   * Deployments and ReplicaSets caught up with all replicas ready, each with its pods from its
   * template, and every pod running and ready.
   */
  private static final class SimulatedCluster {
    private final List<HasMetadata> objects = new ArrayList<>();

    List<HasMetadata> objects() {
      return List.copyOf(objects);
    }

    <R> List<R> ofType(Class<R> type) {
      return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Replaces the cluster's objects by the applied ones; what was not applied is gone. */
    void apply(List<HasMetadata> applied) {
      objects.clear();
      for (HasMetadata object : applied) {
        HasMetadata copy = SERIALIZATION.convertValue(object, object.getClass());
        prepare(copy.getMetadata(), copy.getMetadata().getName(), copy.getKind());
        if (copy instanceof Deployment d) {
          int replicas = d.getSpec().getReplicas();
          d.setStatus(
              new DeploymentStatusBuilder()
                  .withObservedGeneration(1L)
                  .withReplicas(replicas)
                  .withUpdatedReplicas(replicas)
                  .withReadyReplicas(replicas)
                  .withAvailableReplicas(replicas)
                  .build());
          addPods(d.getMetadata(), d.getSpec().getTemplate(), replicas);
        } else if (copy instanceof ReplicaSet rs) {
          int replicas = rs.getSpec().getReplicas();
          rs.setStatus(
              new ReplicaSetStatusBuilder()
                  .withObservedGeneration(1L)
                  .withReplicas(replicas)
                  .withFullyLabeledReplicas(replicas)
                  .withReadyReplicas(replicas)
                  .withAvailableReplicas(replicas)
                  .build());
          addPods(rs.getMetadata(), rs.getSpec().getTemplate(), replicas);
        } else if (copy instanceof Pod pod) {
          pod.setStatus(running());
        }
        objects.add(copy);
      }
    }

    private void addPods(ObjectMeta owner, PodTemplateSpec template, int replicas) {
      for (int i = 0; i < replicas; i++) {
        Pod pod = new Pod();
        pod.setMetadata(
            new ObjectMetaBuilder(template.getMetadata())
                .withName(owner.getName() + "-" + i)
                .withNamespace(owner.getNamespace())
                .build());
        prepare(pod.getMetadata(), pod.getMetadata().getName(), "Pod");
        pod.setSpec(template.getSpec());
        pod.setStatus(running());
        objects.add(pod);
      }
    }

    private static PodStatus running() {
      return new PodStatusBuilder()
          .withPhase("Running")
          .addNewCondition()
          .withType("Ready")
          .withStatus("True")
          .endCondition()
          .addNewContainerStatus()
          .withName(ResourceNaming.CONTAINER_NAME)
          .withReady(true)
          .withStarted(true)
          .withRestartCount(0)
          .withNewState()
          .withNewRunning()
          .withStartedAt(NOW.toString())
          .endRunning()
          .endState()
          .endContainerStatus()
          .build();
    }
  }

  /** Fixed namespace, uid, generation and creation time, so nothing varies between runs. */
  private static void prepare(ObjectMeta metadata, String name, String kind) {
    metadata.setNamespace(NAMESPACE);
    metadata.setUid(
        UUID.nameUUIDFromBytes(
                (kind + "/" + NAMESPACE + "/" + name).getBytes(StandardCharsets.UTF_8))
            .toString());
    metadata.setGeneration(1L);
    metadata.setCreationTimestamp(NOW.toString());
  }

  /** The example's objects: InferenceServices and what else it ships (model ConfigMaps). */
  private static List<HasMetadata> parse(Path example) throws IOException {
    Object parsed = SERIALIZATION.unmarshal(Files.readString(example, StandardCharsets.UTF_8));
    List<?> items = parsed instanceof List<?> list ? list : List.of(parsed);
    List<HasMetadata> objects = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof KubernetesResource)) {
        continue;
      }
      HasMetadata object = (HasMetadata) item;
      object.getMetadata().setNamespace(NAMESPACE); // as kubectl apply -n would
      if (InferenceServiceConstants.KIND.equals(object.getKind())
          && !(object instanceof InferenceService)) {
        object = SERIALIZATION.convertValue(object, InferenceService.class);
      }
      objects.add(object);
    }
    return objects;
  }

  /** An object as YAML with sorted keys; lists keep their order, which is part of the object. */
  private static String yaml(Object object) {
    try {
      Object tree = JSON.readValue(SERIALIZATION.asJson(object), Object.class);
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> examples() {
    try (Stream<Path> files = Files.list(Repository.resolve("examples"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path goldenDir() {
    return Repository.resolve("operator/src/test/resources/golden");
  }

  private static boolean updating() {
    return Boolean.getBoolean(UPDATE_PROPERTY);
  }

  /** A warning when a pod template hash changed: the pods running it would all be replaced. */
  private static String templateHashNote(String expected, String actual) {
    List<String> before = templateHashes(expected);
    List<String> now = templateHashes(actual);
    if (before.equals(now)) {
      return "";
    }
    return ("POD TEMPLATE CHANGED: template hashes %s are now %s; on an upgrade every pod running"
            + " them would be replaced.%n")
        .formatted(before, now);
  }

  private static List<String> templateHashes(String yaml) {
    List<String> hashes = new ArrayList<>();
    Matcher m = TEMPLATE_HASH.matcher(yaml);
    while (m.find()) {
      if (!hashes.contains(m.group(1))) {
        hashes.add(m.group(1));
      }
    }
    return hashes;
  }

  /**
   * Per changed object ("Kind name"), the fields that differ as {@code path: golden -> now}; a gone
   * and a new object of one kind (a blue-green revision renamed by its new hash) are compared with
   * each other.
   */
  private static String diff(String expected, String actual) {
    Map<String, Object> before = byObject(expected);
    Map<String, Object> now = byObject(actual);
    List<String> gone = new ArrayList<>(before.keySet());
    gone.removeAll(now.keySet());
    List<String> added = new ArrayList<>(now.keySet());
    added.removeAll(before.keySet());
    StringBuilder out = new StringBuilder();
    int[] budget = {MAX_DIFF_FIELDS};
    before.forEach(
        (header, object) -> {
          if (now.containsKey(header) && !now.get(header).equals(object)) {
            out.append("  ").append(header).append(":\n");
            diff("", object, now.get(header), out, budget);
          }
        });
    for (String old : new ArrayList<>(gone)) {
      String kind = old.substring(0, old.indexOf(' '));
      added.stream()
          .filter(header -> header.startsWith(kind + " "))
          .findFirst()
          .ifPresent(
              renamed -> {
                out.append("  ").append(old).append(" -> ").append(renamed).append(":\n");
                diff("", before.get(old), now.get(renamed), out, budget);
                gone.remove(old);
                added.remove(renamed);
              });
    }
    gone.forEach(header -> out.append("  ").append(header).append(": no longer generated\n"));
    added.forEach(header -> out.append("  ").append(header).append(": newly generated\n"));
    if (budget[0] < 0) {
      out.append("  ... ").append(-budget[0]).append(" more changed fields\n");
    }
    return out.toString();
  }

  @SuppressWarnings("unchecked")
  private static void diff(
      String path, Object before, Object now, StringBuilder out, int[] budget) {
    if (before instanceof Map<?, ?> a && now instanceof Map<?, ?> b) {
      List<String> keys = new ArrayList<>((Set<String>) a.keySet());
      ((Set<String>) b.keySet()).stream().filter(k -> !a.containsKey(k)).forEach(keys::add);
      for (String key : keys) {
        diff(path.isEmpty() ? key : path + "." + key, a.get(key), b.get(key), out, budget);
      }
    } else if (before instanceof List<?> a && now instanceof List<?> b) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        diff(
            path + "[" + i + "]",
            i < a.size() ? a.get(i) : null,
            i < b.size() ? b.get(i) : null,
            out,
            budget);
      }
    } else if (!Objects.equals(before, now)) {
      if (budget[0]-- > 0) {
        out.append("    ")
            .append(path)
            .append(": ")
            .append(before == null ? "(absent)" : before)
            .append(" -> ")
            .append(now == null ? "(absent)" : now)
            .append('\n');
      }
    }
  }

  /** The objects of a golden file's content by their header ("Kind name"), parsed. */
  private static Map<String, Object> byObject(String file) {
    Map<String, Object> objects = new LinkedHashMap<>();
    for (String document : file.split("(?m)^---\n")) {
      int end = document.indexOf('\n');
      if (!document.startsWith("# ") || end < 0 || document.startsWith("# What the operator")) {
        continue;
      }
      try {
        objects.put(document.substring(2, end), YAML.readValue(document, Object.class));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return objects;
  }
}
