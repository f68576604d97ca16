package dev.inferops.operator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ModelSpec;
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

  /** By {@code Class.field}: what EffectiveSpec makes of an InferenceService without the field. */
  private static final Map<String, Supplier<Object>> EFFECTIVE =
      Map.of(
          "InferenceServiceSpec.replicas", () -> EffectiveSpec.replicas(EMPTY),
          "InferenceServiceSpec.workload", () -> EffectiveSpec.workload(EMPTY),
          "InferenceServiceSpec.port", () -> EffectiveSpec.port(EMPTY),
          "DeploymentStrategySpec.type", () -> EffectiveSpec.strategy(EMPTY),
          "ServiceExposureSpec.enabled", () -> EffectiveSpec.serviceEnabled(EMPTY),
          "ServiceExposureSpec.type", () -> EffectiveSpec.serviceType(EMPTY),
          "ServiceExposureSpec.port", () -> EffectiveSpec.servicePort(EMPTY),
          "ModelSpec.key", () -> EffectiveSpec.modelKey(new ModelSpec()));

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
