package dev.inferops.operator.e2e;

import dev.inferops.operator.api.v1alpha1.AppSpec;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.it.ClusterSupport;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the *E2E tests: the cluster tests' namespace and in-process operator, with the
 * InferenceService's pods on the real node, where real containers run their real probes.
 */
public abstract class RealNodeSupport extends ClusterSupport {

  /** Real containers take longer than simulated ones: a JVM start, probes, restarts. */
  public static final Duration E2E_TIMEOUT = Duration.ofSeconds(180);

  @BeforeAll
  static void requireRealNode() {
    RealNode.assumeUp();
  }

  /** An InferenceService whose pods run on the real node. */
  protected InferenceService realInferenceService(
      String name, int replicas, Consumer<InferenceServiceSpec> customizer) {
    return newInferenceService(
        name,
        replicas,
        spec -> {
          RealNode.placeOnRealNode(spec);
          customizer.accept(spec);
        });
  }

  protected static AppSpec app(int startDelaySeconds) {
    AppSpec app = new AppSpec();
    app.setStartDelaySeconds(startDelaySeconds);
    return app;
  }

  protected Service service(String name) {
    return client.services().inNamespace(namespace).withName(name).get();
  }

  /** The ClusterIP of the InferenceService's Service (reached through kube-proxy). */
  protected String clusterIp(String name) {
    return service(name).getSpec().getClusterIP();
  }

  protected int servicePort(String name) {
    return service(name).getSpec().getPorts().get(0).getPort();
  }

  protected Pod onlyPod(String name) {
    var pods = livePods(name);
    if (pods.size() != 1) {
      throw new AssertionError("expected one pod of " + name + ", got " + pods.size());
    }
    return pods.get(0);
  }
}
