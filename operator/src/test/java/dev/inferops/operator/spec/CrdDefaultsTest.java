package dev.inferops.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ShadowSpec;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import io.fabric8.generator.annotation.Default;
import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every {@code @Default} of the CRD model is the value {@link EffectiveSpec} fills in, so the API
 * server and the operator agree on what an unset field means.
 */
class CrdDefaultsTest {

  private static final InferenceService EMPTY = new InferenceService();

  /** Blue-green with an empty shadow block: the shadow's defaults apply only there. */
  private static final InferenceService SHADOWING =
      new InferenceServiceBuilder()
          .withNewSpec()
          .withNewStrategy()
          .withType(StrategyType.BlueGreen)
          .withNewBlueGreen()
          .withNewShadow()
          .endShadow()
          .endBlueGreen()
          .endStrategy()
          .endSpec()
          .build();

  private static ShadowSpec shadow() {
    return EffectiveSpec.shadow(SHADOWING).orElseThrow();
  }

  /** By {@code Class.field}: what EffectiveSpec makes of an InferenceService without the field. */
  private static final Map<String, Supplier<Object>> EFFECTIVE =
      Map.ofEntries(
          Map.entry("InferenceServiceSpec.replicas", () -> EffectiveSpec.replicas(EMPTY)),
          Map.entry("InferenceServiceSpec.workload", () -> EffectiveSpec.workload(EMPTY)),
          Map.entry("InferenceServiceSpec.port", () -> EffectiveSpec.port(EMPTY)),
          Map.entry("DeploymentStrategySpec.type", () -> EffectiveSpec.strategy(EMPTY)),
          Map.entry("ServiceExposureSpec.enabled", () -> EffectiveSpec.serviceEnabled(EMPTY)),
          Map.entry("ServiceExposureSpec.type", () -> EffectiveSpec.serviceType(EMPTY)),
          Map.entry("ServiceExposureSpec.port", () -> EffectiveSpec.servicePort(EMPTY)),
          Map.entry(
              "DeploymentStrategySpec.progressDeadlineSeconds",
              () -> EffectiveSpec.progressDeadlineSeconds(EMPTY)),
          Map.entry(
              "DeploymentStrategySpec.revisionHistoryLimit",
              () -> EffectiveSpec.revisionHistoryLimit(EMPTY)),
          Map.entry("DeploymentStrategySpec.autoRollback", () -> EffectiveSpec.autoRollback(EMPTY)),
          Map.entry(
              "BlueGreenSpec.autoPromotionEnabled",
              () -> EffectiveSpec.autoPromotionEnabled(EMPTY)),
          Map.entry(
              "BlueGreenSpec.autoPromotionSeconds",
              () -> EffectiveSpec.autoPromotionSeconds(EMPTY)),
          Map.entry(
              "BlueGreenSpec.scaleDownDelaySeconds",
              () -> EffectiveSpec.scaleDownDelaySeconds(EMPTY)),
          Map.entry("CanaryAnalysisSpec.enabled", () -> EffectiveSpec.canaryAnalysisEnabled(EMPTY)),
          Map.entry(
              "CanaryAnalysisSpec.intervalSeconds",
              () -> EffectiveSpec.canaryAnalysisIntervalSeconds(EMPTY)),
          Map.entry(
              "CanaryAnalysisSpec.minRequests",
              () -> EffectiveSpec.canaryThresholds(EMPTY).minRequests()),
          Map.entry(
              "CanaryAnalysisSpec.maxErrorRateIncreasePercent",
              () -> EffectiveSpec.canaryThresholds(EMPTY).maxErrorRateIncreasePercent()),
          Map.entry(
              "CanaryAnalysisSpec.maxLatencyIncreasePercent",
              () -> EffectiveSpec.canaryThresholds(EMPTY).maxLatencyIncreasePercent()),
          Map.entry(
              "CanaryAnalysisSpec.latencyToleranceMillis",
              () -> EffectiveSpec.canaryThresholds(EMPTY).latencyToleranceMillis()),
          Map.entry(
              "CanaryAnalysisSpec.inconclusive", () -> EffectiveSpec.canaryInconclusive(EMPTY)),
          Map.entry("ShadowSpec.sampleRate", () -> shadow().getSampleRate()),
          Map.entry("ShadowSpec.minComparisons", () -> shadow().getMinComparisons()),
          Map.entry("ShadowSpec.probabilityTolerance", () -> shadow().getProbabilityTolerance()),
          Map.entry("SmokeTestSpec.enabled", () -> EffectiveSpec.smokeTestEnabled(EMPTY)),
          Map.entry("SmokeTestSpec.path", () -> EffectiveSpec.smokeTestPath(EMPTY)),
          Map.entry(
              "SmokeTestSpec.timeoutSeconds", () -> EffectiveSpec.smokeTestTimeoutSeconds(EMPTY)),
          Map.entry("SmokeTestSpec.tolerance", () -> EffectiveSpec.smokeTestTolerance(EMPTY)),
          Map.entry(
              "DisruptionBudgetSpec.enabled", () -> EffectiveSpec.disruptionBudgetEnabled(EMPTY)),
          Map.entry(
              "DisruptionBudgetSpec.maxUnavailable",
              () -> EffectiveSpec.disruptionBudgetMaxUnavailable(EMPTY)));

  @Test
  void everyCrdDefaultIsTheEffectiveSpecsDefault() {
    Map<String, String> annotated = defaultsBelow(InferenceServiceSpec.class);

    assertThat(annotated.keySet())
        .as("every @Default has its EffectiveSpec accessor in this test")
        .containsExactlyInAnyOrderElementsOf(EFFECTIVE.keySet());
    annotated.forEach(
        (field, value) ->
            assertThat(String.valueOf(EFFECTIVE.get(field).get())).as(field).isEqualTo(value));
  }

  /** The {@code @Default} values of the model's own classes, reachable from {@code root}. */
  private static Map<String, String> defaultsBelow(Class<?> root) {
    Map<String, String> defaults = new TreeMap<>();
    Set<Class<?>> seen = new HashSet<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    pending.add(root);
    while (!pending.isEmpty()) {
      Class<?> type = pending.pop();
      if (!seen.add(type)) {
        continue;
      }
      for (Field field : type.getDeclaredFields()) {
        Default value = field.getAnnotation(Default.class);
        if (value != null) {
          defaults.put(type.getSimpleName() + "." + field.getName(), value.value());
        }
        modelTypeOf(field, root.getPackage()).ifPresent(pending::add);
      }
    }
    return defaults;
  }

  private static java.util.Optional<Class<?>> modelTypeOf(Field field, Package model) {
    Class<?> type = field.getType();
    if (field.getGenericType() instanceof ParameterizedType parameterized
        && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
      type = element;
    }
    return type.getPackage() == model && !type.isEnum()
        ? java.util.Optional.of(type)
        : java.util.Optional.empty();
  }
}
