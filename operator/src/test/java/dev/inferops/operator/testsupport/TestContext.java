package dev.inferops.operator.testsupport;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A reconcile context for unit tests: it serves the given objects as the informers' secondary
 * resources, by type, and fails loudly on anything a test did not set up.
 *
 * <pre>{@code
 * List<Pod> pods = new ArrayList<>(readyPods(is, WorkloadKind.Deployment, "a", "b"));
 * reconciler.reconcile(is, TestContext.secondaries(() -> pods));
 * }</pre>
 */
public final class TestContext implements Context<InferenceService> {

  private final Supplier<? extends List<?>> secondaries;
  private final Map<String, Object> named;

  private TestContext(Supplier<? extends List<?>> secondaries, Map<String, Object> named) {
    this.secondaries = secondaries;
    this.named = named;
  }

  /** A context showing what {@code secondaries} holds at each call (so a test may change it). */
  public static TestContext secondaries(Supplier<? extends List<?>> secondaries) {
    return new TestContext(secondaries, Map.of());
  }

  /** A context showing these objects. */
  public static TestContext secondaries(List<?> objects) {
    List<?> copy = List.copyOf(objects);
    return new TestContext(() -> copy, Map.of());
  }

  /**
   * This context, with {@code object} also served by the named event source (as the model ConfigMap
   * is); a new context, so the workflow values start empty.
   */
  public TestContext withNamed(String eventSourceName, Object object) {
    Map<String, Object> more = new HashMap<>(named);
    more.put(eventSourceName, object);
    return new TestContext(secondaries, Map.copyOf(more));
  }

  @Override
  public <R> Set<R> getSecondaryResources(Class<R> expectedType) {
    return secondaries.get().stream()
        .filter(expectedType::isInstance)
        .map(expectedType::cast)
        .collect(Collectors.toSet());
  }

  @Override
  public <R> Optional<R> getSecondaryResource(Class<R> expectedType, String eventSourceName) {
    return Optional.ofNullable(named.get(eventSourceName))
        .filter(expectedType::isInstance)
        .map(expectedType::cast);
  }

  @Override
  public Optional<RetryInfo> getRetryInfo() {
    return Optional.empty();
  }

  @Override
  public boolean isNextReconciliationImminent() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceDeleted() {
    return false;
  }

  @Override
  public boolean isPrimaryResourceFinalStateUnknown() {
    return false;
  }

  @Override
  public ControllerConfiguration<InferenceService> getControllerConfiguration() {
    throw notSetUp();
  }

  @Override
  public ManagedWorkflowAndDependentResourceContext managedWorkflowAndDependentResourceContext() {
    return workflow;
  }

  /** No dependents in unit tests: the workflow does nothing; the values are kept. */
  private final ManagedWorkflowAndDependentResourceContext workflow =
      new ManagedWorkflowAndDependentResourceContext() {
        private final java.util.Map<Object, Object> values = new java.util.HashMap<>();

        @Override
        public <T> java.util.Optional<T> get(Object key, Class<T> expectedType) {
          return java.util.Optional.ofNullable(values.get(key)).map(expectedType::cast);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T put(Object key, T object) {
          return (T) values.put(key, object);
        }

        @Override
        public <T> T getMandatory(Object key, Class<T> expectedType) {
          return get(key, expectedType).orElseThrow();
        }

        @Override
        public java.util.Optional<
                io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult>
            getWorkflowReconcileResult() {
          return java.util.Optional.empty();
        }

        @Override
        public java.util.Optional<
                io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowCleanupResult>
            getWorkflowCleanupResult() {
          return java.util.Optional.empty();
        }

        @Override
        public io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult
            reconcileManagedWorkflow() {
          return null;
        }

        @Override
        public io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowCleanupResult
            cleanupManageWorkflow() {
          return null;
        }
      };

  @Override
  public EventSourceRetriever<InferenceService> eventSourceRetriever() {
    throw notSetUp();
  }

  @Override
  public KubernetesClient getClient() {
    throw notSetUp();
  }

  @Override
  public ExecutorService getWorkflowExecutorService() {
    throw notSetUp();
  }

  @Override
  public InferenceService getPrimaryResource() {
    throw notSetUp();
  }

  @Override
  public IndexedResourceCache<InferenceService> getPrimaryCache() {
    throw notSetUp();
  }

  private static UnsupportedOperationException notSetUp() {
    return new UnsupportedOperationException("not part of the unit test's context");
  }
}
