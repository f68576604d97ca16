package dev.inferops.operator.spec;

import dev.inferops.operator.analysis.AnalysisThresholds;
import dev.inferops.operator.api.v1alpha1.AppSpec;
import dev.inferops.operator.api.v1alpha1.BlueGreenSpec;
import dev.inferops.operator.api.v1alpha1.CanaryAnalysisSpec;
import dev.inferops.operator.api.v1alpha1.CanarySpec;
import dev.inferops.operator.api.v1alpha1.CanaryStep;
import dev.inferops.operator.api.v1alpha1.CanaryStepBuilder;
import dev.inferops.operator.api.v1alpha1.DeploymentStrategySpec;
import dev.inferops.operator.api.v1alpha1.DisruptionBudgetSpec;
import dev.inferops.operator.api.v1alpha1.ImagePullPolicy;
import dev.inferops.operator.api.v1alpha1.InconclusivePolicy;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
import dev.inferops.operator.api.v1alpha1.ProbeSpec;
import dev.inferops.operator.api.v1alpha1.ProbeSpecBuilder;
import dev.inferops.operator.api.v1alpha1.ProbesSpec;
import dev.inferops.operator.api.v1alpha1.ServiceExposureSpec;
import dev.inferops.operator.api.v1alpha1.ServiceType;
import dev.inferops.operator.api.v1alpha1.ShadowSpec;
import dev.inferops.operator.api.v1alpha1.ShadowSpecBuilder;
import dev.inferops.operator.api.v1alpha1.SmokeTestSpec;
import dev.inferops.operator.api.v1alpha1.SpecDefaults;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The spec with every default filled in: the CRD's {@code @Default}s, from the one constant each in
 * {@link SpecDefaults} (a test checks that every one has its accessor here), and the defaults the
 * CRD cannot express, such as resources and probes.
 *
 * <p>The API server applies the CRD's defaults too, but the builders must not depend on that:
 * objects created before a default existed, and unit tests, come without them.
 */
public final class EffectiveSpec {

  /** The enum defaults as values; every other default is used from {@link SpecDefaults}. */
  private static final WorkloadKind DEFAULT_WORKLOAD = WorkloadKind.valueOf(SpecDefaults.WORKLOAD);

  private static final StrategyType DEFAULT_STRATEGY =
      StrategyType.valueOf(SpecDefaults.STRATEGY_TYPE);
  private static final ServiceType DEFAULT_SERVICE_TYPE =
      ServiceType.valueOf(SpecDefaults.SERVICE_TYPE);

  public static final String HOSTNAME_KEY = "kubernetes.io/hostname";
  public static final String ZONE_KEY = "topology.kubernetes.io/zone";

  /** Requests and limits of a container whose spec sets none. */
  private static final ResourceRequirements DEFAULT_RESOURCES =
      new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity("100m"))
          .addToRequests("memory", new Quantity("128Mi"))
          .addToLimits("cpu", new Quantity("500m"))
          .addToLimits("memory", new Quantity("256Mi"))
          .build();

  private static final ProbeSpec DEFAULT_READINESS =
      new ProbeSpecBuilder()
          .withPath("/ready")
          .withInitialDelaySeconds(0)
          .withPeriodSeconds(5)
          .withTimeoutSeconds(1)
          .withFailureThreshold(3)
          .build();
  private static final ProbeSpec DEFAULT_LIVENESS =
      new ProbeSpecBuilder()
          .withPath("/health")
          .withInitialDelaySeconds(10)
          .withPeriodSeconds(10)
          .withTimeoutSeconds(1)
          .withFailureThreshold(3)
          .build();

  private EffectiveSpec() {}

  /**
   * maxSurge and maxUnavailable of the Deployment; a null one is left to the Deployment's own
   * default (25%).
   */
  public record RollingUpdate(IntOrString maxSurge, IntOrString maxUnavailable) {}

  private static InferenceServiceSpec spec(InferenceService is) {
    return Optional.ofNullable(is.getSpec()).orElseGet(InferenceServiceSpec::new);
  }

  public static String image(InferenceService is) {
    return spec(is).getImage();
  }

  /** The pull policy; empty leaves it to Kubernetes (Always for :latest, else IfNotPresent). */
  public static Optional<ImagePullPolicy> imagePullPolicy(InferenceService is) {
    return Optional.ofNullable(spec(is).getImagePullPolicy());
  }

  public static int replicas(InferenceService is) {
    return Optional.ofNullable(spec(is).getReplicas()).orElse(SpecDefaults.REPLICAS);
  }

  public static WorkloadKind workload(InferenceService is) {
    return Optional.ofNullable(spec(is).getWorkload()).orElse(DEFAULT_WORKLOAD);
  }

  public static StrategyType strategy(InferenceService is) {
    return Optional.ofNullable(spec(is).getStrategy())
        .map(DeploymentStrategySpec::getType)
        .orElse(DEFAULT_STRATEGY);
  }

  /**
   * The rolling Deployment's update parameters; empty when both are left to the Deployment's
   * defaults. Only the rolling update has that Deployment: blue-green's revision Deployments never
   * change their template.
   */
  public static Optional<RollingUpdate> rollingUpdate(InferenceService is) {
    Optional<DeploymentStrategySpec> strategy = Optional.ofNullable(spec(is).getStrategy());
    IntOrString maxSurge = strategy.map(DeploymentStrategySpec::getMaxSurge).orElse(null);
    IntOrString maxUnavailable =
        strategy.map(DeploymentStrategySpec::getMaxUnavailable).orElse(null);
    return maxSurge == null && maxUnavailable == null
        ? Optional.empty()
        : Optional.of(new RollingUpdate(maxSurge, maxUnavailable));
  }

  private static DeploymentStrategySpec strategySpec(InferenceService is) {
    return Optional.ofNullable(spec(is).getStrategy()).orElseGet(DeploymentStrategySpec::new);
  }

  public static int progressDeadlineSeconds(InferenceService is) {
    return Optional.ofNullable(strategySpec(is).getProgressDeadlineSeconds())
        .orElse(SpecDefaults.PROGRESS_DEADLINE_SECONDS);
  }

  public static int revisionHistoryLimit(InferenceService is) {
    return Optional.ofNullable(strategySpec(is).getRevisionHistoryLimit())
        .orElse(SpecDefaults.REVISION_HISTORY_LIMIT);
  }

  /** Whether a rolling update that exceeds its progress deadline is reverted (RollingUpdate). */
  public static boolean autoRollback(InferenceService is) {
    return Optional.ofNullable(strategySpec(is).getAutoRollback())
        .orElse(SpecDefaults.AUTO_ROLLBACK);
  }

  private static BlueGreenSpec blueGreenSpec(InferenceService is) {
    return Optional.ofNullable(strategySpec(is).getBlueGreen()).orElseGet(BlueGreenSpec::new);
  }

  public static boolean autoPromotionEnabled(InferenceService is) {
    return Optional.ofNullable(blueGreenSpec(is).getAutoPromotionEnabled())
        .orElse(SpecDefaults.AUTO_PROMOTION_ENABLED);
  }

  public static int autoPromotionSeconds(InferenceService is) {
    return Optional.ofNullable(blueGreenSpec(is).getAutoPromotionSeconds())
        .orElse(SpecDefaults.AUTO_PROMOTION_SECONDS);
  }

  public static int scaleDownDelaySeconds(InferenceService is) {
    return Optional.ofNullable(blueGreenSpec(is).getScaleDownDelaySeconds())
        .orElse(SpecDefaults.SCALE_DOWN_DELAY_SECONDS);
  }

  /** The preview's pods while it is checked; 0 when unset (every replica). */
  public static int previewReplicaCount(InferenceService is) {
    return Optional.ofNullable(blueGreenSpec(is).getPreviewReplicaCount()).orElse(0);
  }

  /**
   * Blue-green's shadow with every default filled in ({@code minAgreement} stays null for report
   * only); empty without a shadow block or for another strategy.
   */
  public static Optional<ShadowSpec> shadow(InferenceService is) {
    if (workload(is) != WorkloadKind.Deployment || strategy(is) != StrategyType.BlueGreen) {
      return Optional.empty();
    }
    return Optional.ofNullable(blueGreenSpec(is).getShadow())
        .map(
            s ->
                new ShadowSpecBuilder()
                    .withSampleRate(
                        Optional.ofNullable(s.getSampleRate())
                            .orElse(SpecDefaults.SHADOW_SAMPLE_RATE))
                    .withMinComparisons(
                        Optional.ofNullable(s.getMinComparisons())
                            .orElse(SpecDefaults.SHADOW_MIN_COMPARISONS))
                    .withMinAgreement(s.getMinAgreement())
                    .withProbabilityTolerance(
                        Optional.ofNullable(s.getProbabilityTolerance())
                            .orElse(SpecDefaults.SHADOW_PROBABILITY_TOLERANCE))
                    .build());
  }

  /** The smoke test of the strategy that runs one: blue-green's preview or the canary. */
  private static SmokeTestSpec smokeTest(InferenceService is) {
    SmokeTestSpec smokeTest =
        strategy(is) == StrategyType.Canary
            ? canarySpec(is).getSmokeTest()
            : blueGreenSpec(is).getSmokeTest();
    return Optional.ofNullable(smokeTest).orElseGet(SmokeTestSpec::new);
  }

  private static CanarySpec canarySpec(InferenceService is) {
    return Optional.ofNullable(strategySpec(is).getCanary()).orElseGet(CanarySpec::new);
  }

  /** The canary's steps; unset, {@link SpecDefaults#CANARY_STEPS_DESCRIPTION}. */
  public static List<CanaryStep> canarySteps(InferenceService is) {
    return Optional.ofNullable(canarySpec(is).getSteps()).orElse(DEFAULT_CANARY_STEPS);
  }

  private static final List<CanaryStep> DEFAULT_CANARY_STEPS =
      List.of(
          new CanaryStepBuilder().withSetWeight(20).build(),
          new CanaryStepBuilder().withNewPause().withSeconds(60).endPause().build(),
          new CanaryStepBuilder().withSetWeight(50).build(),
          new CanaryStepBuilder().withNewPause().withSeconds(60).endPause().build());

  private static CanaryAnalysisSpec canaryAnalysis(InferenceService is) {
    return Optional.ofNullable(canarySpec(is).getAnalysis()).orElseGet(CanaryAnalysisSpec::new);
  }

  public static boolean canaryAnalysisEnabled(InferenceService is) {
    return Optional.ofNullable(canaryAnalysis(is).getEnabled())
        .orElse(SpecDefaults.CANARY_ANALYSIS_ENABLED);
  }

  public static int canaryAnalysisIntervalSeconds(InferenceService is) {
    return Optional.ofNullable(canaryAnalysis(is).getIntervalSeconds())
        .orElse(SpecDefaults.CANARY_ANALYSIS_INTERVAL_SECONDS);
  }

  public static InconclusivePolicy canaryInconclusive(InferenceService is) {
    return Optional.ofNullable(canaryAnalysis(is).getInconclusive())
        .orElse(InconclusivePolicy.valueOf(SpecDefaults.CANARY_INCONCLUSIVE));
  }

  /** The limits a canary is judged by. */
  public static AnalysisThresholds canaryThresholds(InferenceService is) {
    CanaryAnalysisSpec analysis = canaryAnalysis(is);
    return new AnalysisThresholds(
        Optional.ofNullable(analysis.getMaxErrorRateIncreasePercent())
            .orElse(SpecDefaults.CANARY_MAX_ERROR_RATE_INCREASE_PERCENT),
        Optional.ofNullable(analysis.getMaxLatencyIncreasePercent())
            .orElse(SpecDefaults.CANARY_MAX_LATENCY_INCREASE_PERCENT),
        Optional.ofNullable(analysis.getLatencyToleranceMillis())
            .orElse(SpecDefaults.CANARY_LATENCY_TOLERANCE_MILLIS),
        Optional.ofNullable(analysis.getMinRequests()).orElse(SpecDefaults.CANARY_MIN_REQUESTS));
  }

  public static boolean smokeTestEnabled(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getEnabled()).orElse(SpecDefaults.SMOKE_TEST_ENABLED);
  }

  public static String smokeTestPath(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getPath()).orElse(SpecDefaults.SMOKE_TEST_PATH);
  }

  public static int smokeTestTimeoutSeconds(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getTimeoutSeconds())
        .orElse(SpecDefaults.SMOKE_TEST_TIMEOUT_SECONDS);
  }

  /** The configured smoke instances; empty means the built-in default rows. */
  public static List<Map<String, Double>> smokeTestInstances(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getInstances()).orElse(List.of());
  }

  /** The expected label per instance; empty accepts any label. */
  public static List<Integer> smokeTestExpectedLabels(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getExpectedLabels()).orElse(List.of());
  }

  /** The expected value per instance (an ONNX regressor's); empty checks no value. */
  public static List<Double> smokeTestExpectedValues(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getExpectedValues()).orElse(List.of());
  }

  public static double smokeTestTolerance(InferenceService is) {
    return Optional.ofNullable(smokeTest(is).getTolerance())
        .orElse(SpecDefaults.SMOKE_TEST_TOLERANCE);
  }

  private static DisruptionBudgetSpec disruptionBudget(InferenceService is) {
    return Optional.ofNullable(spec(is).getDisruptionBudget()).orElseGet(DisruptionBudgetSpec::new);
  }

  public static boolean disruptionBudgetEnabled(InferenceService is) {
    return Optional.ofNullable(disruptionBudget(is).getEnabled())
        .orElse(SpecDefaults.DISRUPTION_BUDGET_ENABLED);
  }

  /** Whether a PodDisruptionBudget is wanted: enabled, and more than one replica. */
  public static boolean disruptionBudgetWanted(InferenceService is) {
    return disruptionBudgetEnabled(is) && replicas(is) > 1;
  }

  public static int disruptionBudgetMaxUnavailable(InferenceService is) {
    return Optional.ofNullable(disruptionBudget(is).getMaxUnavailable())
        .orElse(SpecDefaults.DISRUPTION_BUDGET_MAX_UNAVAILABLE);
  }

  /**
   * The spread constraints as written, or soft ones over nodes and zones selecting the pods of
   * {@code podSelector}. Soft, because a single-node cluster must still run every replica.
   */
  public static List<TopologySpreadConstraint> topologySpreadConstraints(
      InferenceService is, Map<String, String> podSelector) {
    List<TopologySpreadConstraint> written = spec(is).getTopologySpreadConstraints();
    if (written != null) {
      return written;
    }
    return List.of(HOSTNAME_KEY, ZONE_KEY).stream()
        .map(
            key ->
                new TopologySpreadConstraintBuilder()
                    .withMaxSkew(1)
                    .withTopologyKey(key)
                    .withWhenUnsatisfiable("ScheduleAnyway")
                    .withNewLabelSelector()
                    .withMatchLabels(podSelector)
                    .endLabelSelector()
                    .build())
        .toList();
  }

  public static int port(InferenceService is) {
    return Optional.ofNullable(spec(is).getPort()).orElse(SpecDefaults.PORT);
  }

  /** The spec's requests and limits, or {@link #DEFAULT_RESOURCES} when it sets none. */
  public static ResourceRequirements resources(InferenceService is) {
    ResourceRequirements resources = spec(is).getResources();
    boolean unset =
        resources == null
            || (isEmpty(resources.getRequests())
                && isEmpty(resources.getLimits())
                && isEmpty(resources.getClaims()));
    return new ResourceRequirementsBuilder(unset ? DEFAULT_RESOURCES : resources).build();
  }

  public static ProbeSpec readinessProbe(InferenceService is) {
    return withDefaults(probes(is).getReadiness(), DEFAULT_READINESS);
  }

  public static ProbeSpec livenessProbe(InferenceService is) {
    return withDefaults(probes(is).getLiveness(), DEFAULT_LIVENESS);
  }

  public static AppSpec app(InferenceService is) {
    return Optional.ofNullable(spec(is).getApp()).orElseGet(AppSpec::new);
  }

  /** Extra environment entries of the app container, in their order. */
  public static List<EnvVar> env(InferenceService is) {
    return Optional.ofNullable(spec(is).getEnv()).orElse(List.of());
  }

  public static Optional<ModelSpec> model(InferenceService is) {
    return Optional.ofNullable(spec(is).getModel());
  }

  /** The key of the model ConfigMap that holds the model. */
  public static String modelKey(ModelSpec model) {
    return Optional.ofNullable(model.getKey()).orElse(SpecDefaults.MODEL_KEY);
  }

  /** Scheduling constraints as written: unset leaves the choice to the scheduler. */
  public static Map<String, String> nodeSelector(InferenceService is) {
    return spec(is).getNodeSelector();
  }

  public static List<Toleration> tolerations(InferenceService is) {
    return spec(is).getTolerations();
  }

  public static Affinity affinity(InferenceService is) {
    return spec(is).getAffinity();
  }

  private static ServiceExposureSpec service(InferenceService is) {
    return Optional.ofNullable(spec(is).getService()).orElseGet(ServiceExposureSpec::new);
  }

  public static boolean serviceEnabled(InferenceService is) {
    return Optional.ofNullable(service(is).getEnabled()).orElse(SpecDefaults.SERVICE_ENABLED);
  }

  public static ServiceType serviceType(InferenceService is) {
    return Optional.ofNullable(service(is).getType()).orElse(DEFAULT_SERVICE_TYPE);
  }

  public static int servicePort(InferenceService is) {
    return Optional.ofNullable(service(is).getPort()).orElse(SpecDefaults.SERVICE_PORT);
  }

  /** The node port of a NodePort Service; null lets Kubernetes pick one. */
  public static Integer nodePort(InferenceService is) {
    return service(is).getNodePort();
  }

  private static ProbesSpec probes(InferenceService is) {
    return Optional.ofNullable(spec(is).getProbes()).orElseGet(ProbesSpec::new);
  }

  private static ProbeSpec withDefaults(ProbeSpec spec, ProbeSpec defaults) {
    ProbeSpec p = Optional.ofNullable(spec).orElseGet(ProbeSpec::new);
    return new ProbeSpecBuilder()
        .withPath(Optional.ofNullable(p.getPath()).orElse(defaults.getPath()))
        .withInitialDelaySeconds(
            Optional.ofNullable(p.getInitialDelaySeconds())
                .orElse(defaults.getInitialDelaySeconds()))
        .withPeriodSeconds(
            Optional.ofNullable(p.getPeriodSeconds()).orElse(defaults.getPeriodSeconds()))
        .withTimeoutSeconds(
            Optional.ofNullable(p.getTimeoutSeconds()).orElse(defaults.getTimeoutSeconds()))
        .withFailureThreshold(
            Optional.ofNullable(p.getFailureThreshold()).orElse(defaults.getFailureThreshold()))
        .build();
  }

  private static boolean isEmpty(Map<?, ?> map) {
    return map == null || map.isEmpty();
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}
