package dev.inferops.operator.e2e;

import static org.awaitility.Awaitility.await;

import dev.inferops.operator.analysis.DirectPodMetricsSource;
import dev.inferops.operator.api.v1alpha1.ImagePullPolicy;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.rollout.HttpSmokeClient;
import dev.inferops.operator.testsupport.Fixtures;
import dev.inferops.operator.testsupport.LocalCluster;
import dev.inferops.operator.testsupport.OperatorExtension;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local cluster's real node (hack/real-node.sh): steering pods onto it and reading what the
 * kubelet and the kernel made of them. The E2E tests run on the machine that is the node, so
 * cgroups and /proc of the containers are the test's own files to read.
 */
public final class RealNode {

  public static final String NAME = "inferops-real";
  public static final String LABEL = "inferops.dev/real-node";
  public static final Toleration TOLERATION =
      new TolerationBuilder()
          .withKey(LABEL)
          .withOperator("Equal")
          .withValue("true")
          .withEffect("NoSchedule")
          .build();

  /** Real containers take longer than simulated ones: a JVM start, probes, restarts. */
  public static final Duration E2E_TIMEOUT = Duration.ofSeconds(180);

  private static LocalCluster.Result state;

  private RealNode() {}

  /**
   * Put on a test class with {@code @ExtendWith}: runs it when the cluster has the real node; skips
   * it, with the local cluster's own reason, only where this machine cannot run one (not root, no
   * cgroups, {@code REAL_NODE=0}); and fails it where the machine could and the node is missing,
   * whichever command started the tests, since a skip would hide a broken setup.
   */
  public static final class Required implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      LocalCluster.Result state = realNodeState();
      String reason = state.output().trim();
      return switch (state.exitCode()) {
        case 0 -> ConditionEvaluationResult.enabled(reason);
        case 2 -> ConditionEvaluationResult.disabled("E2E skipped: " + reason);
        default ->
            throw new IllegalStateException(
                "E2E needs the real node, and this machine can run one: "
                    + reason
                    + " (make test brings the cluster up with it)");
      };
    }
  }

  private static synchronized LocalCluster.Result realNodeState() {
    if (state == null) {
      state = LocalCluster.script("real-node");
    }
    return state;
  }

  /** Puts the pods of this InferenceService on the real node, with images that are never pulled. */
  public static void placeOnRealNode(InferenceServiceSpec spec) {
    spec.setNodeSelector(Map.of(LABEL, "true"));
    spec.setTolerations(List.of(TOLERATION));
    spec.setImagePullPolicy(ImagePullPolicy.Never);
  }

  /**
   * The operator in-process on the host, with the real smoke client and metrics reads: a smoke test
   * really calls the preview Service's ClusterIP (kube-proxy sends it to the real pods, and the
   * network guard keeps anything else on this machine).
   */
  public static OperatorExtension.Builder localOperator() {
    return OperatorExtension.withLocalOperator()
        .smokeClient(new HttpSmokeClient())
        .metricsSource(new DirectPodMetricsSource());
  }

  /** An InferenceService of the extension's namespace whose pods run on the real node. */
  public static InferenceService inferenceService(
      OperatorExtension cluster,
      String name,
      int replicas,
      Consumer<InferenceServiceSpec> customizer) {
    return cluster.newInferenceService(
        name,
        replicas,
        spec -> {
          placeOnRealNode(spec);
          customizer.accept(spec);
        });
  }

  /**
   * Creates a Deployment InferenceService on the real node (app start delay 1 s), changed by {@code
   * customizer}, and waits until it is Ready.
   */
  public static void deployReady(
      OperatorExtension cluster,
      String name,
      int replicas,
      Consumer<InferenceServiceSpec> customizer) {
    cluster.create(
        inferenceService(
            cluster,
            name,
            replicas,
            spec -> {
              spec.setWorkload(WorkloadKind.Deployment);
              spec.setApp(Fixtures.startDelay(1).build());
              customizer.accept(spec);
            }));
    cluster.awaitPhase(name, Phase.Ready);
    awaitServiceAnswers(cluster, name);
  }

  /**
   * Waits until a prediction through the Service's ClusterIP succeeds: Ready pods reach
   * kube-proxy's rules a moment after the EndpointSlice lists them.
   */
  public static void awaitServiceAnswers(OperatorExtension cluster, String name) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                Traffic.once(
                            clusterIp(cluster, name),
                            servicePort(cluster, name),
                            "/predict",
                            Traffic.PATIENT)
                        .status()
                    == 200);
  }

  private static Service service(OperatorExtension cluster, String name) {
    return cluster.client().services().withName(name).get();
  }

  /**
   * Predictions through the InferenceService's Service ClusterIP, so kube-proxy routes them (see
   * {@link Traffic#start(String, int, boolean, int, Duration)}), for as long as the test's {@code
   * waits} inside the loop may take together, plus a minute: a loop that stopped before the test
   * was done would judge only part of the rollout. Bounded in count too, by a rate (5,000 a second)
   * no loop on this machine reaches.
   */
  public static Traffic serviceTraffic(
      OperatorExtension cluster, String name, boolean freshConnections, Duration... waits) {
    Duration lifetime = Duration.ofMinutes(1);
    for (Duration wait : waits) {
      lifetime = lifetime.plus(wait);
    }
    return Traffic.start(
        clusterIp(cluster, name),
        servicePort(cluster, name),
        freshConnections,
        Math.toIntExact(lifetime.toSeconds() * 5_000),
        lifetime);
  }

  /**
   * This host's address on the pods' bridge (hack/real-node.sh: the first address of
   * POD_BRIDGE_CIDR), where a test may serve what the pods fetch.
   */
  public static String bridgeHost() {
    String cidr = System.getenv().getOrDefault("POD_BRIDGE_CIDR", "10.85.0.0/24");
    String network = cidr.substring(0, cidr.indexOf('/'));
    return network.substring(0, network.lastIndexOf('.')) + ".1";
  }

  /** The ClusterIP of the InferenceService's Service (reached through kube-proxy). */
  public static String clusterIp(OperatorExtension cluster, String name) {
    return service(cluster, name).getSpec().getClusterIP();
  }

  public static int servicePort(OperatorExtension cluster, String name) {
    return service(cluster, name).getSpec().getPorts().get(0).getPort();
  }

  public static Pod onlyPod(OperatorExtension cluster, String name) {
    var pods = cluster.livePods(name);
    if (pods.size() != 1) {
      throw new AssertionError("expected one pod of " + name + ", got " + pods.size());
    }
    return pods.get(0);
  }

  /** The container's id without the runtime prefix ("containerd://"). */
  public static String containerId(Pod pod) {
    String id = pod.getStatus().getContainerStatuses().get(0).getContainerID();
    return id.substring(id.indexOf("://") + 3);
  }

  /**
   * A file of the container's cgroup in one controller (cgroup v1, cgroupfs driver:
   * /sys/fs/cgroup/CONTROLLER/kubepods/QOS/podUID/CONTAINER).
   */
  public static String cgroupValue(Pod pod, String controller, String file) {
    Path root = Path.of("/sys/fs/cgroup", controller, "kubepods");
    String podDir = "pod" + pod.getMetadata().getUid();
    String container = containerId(pod);
    try (Stream<Path> dirs = Files.walk(root, 3)) {
      Path dir =
          dirs.filter(d -> d.getFileName().toString().equals(podDir))
              .map(d -> d.resolve(container))
              .filter(Files::isDirectory)
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no cgroup for " + container));
      return Files.readString(dir.resolve(file)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The host PID of the container's main process. */
  public static long mainPid(Pod pod) {
    String procs = cgroupValue(pod, "pids", "cgroup.procs");
    return procs.lines().mapToLong(Long::parseLong).min().orElseThrow();
  }

  /** /proc/PID/status of the container's main process, as field → value. */
  public static Map<String, String> processStatus(Pod pod) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(mainPid(pod)), "status")).stream()
          .filter(l -> l.contains(":"))
          .collect(
              java.util.stream.Collectors.toMap(
                  l -> l.substring(0, l.indexOf(':')),
                  l -> l.substring(l.indexOf(':') + 1).trim(),
                  (a, b) -> a));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The mount options of the container's root filesystem, as its main process sees it. */
  public static List<String> rootMountOptions(Pod pod) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(mainPid(pod)), "mountinfo"))
          .stream()
          .map(l -> l.split(" "))
          .filter(f -> f[4].equals("/"))
          .map(f -> List.of(f[5].split(",")))
          .reduce((first, second) -> second)
          .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
