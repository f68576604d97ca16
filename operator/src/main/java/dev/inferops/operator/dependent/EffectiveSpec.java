package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.AppSpec;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceSpec;
import dev.inferops.operator.api.v1alpha1.ServiceExposureSpec;
import dev.inferops.operator.api.v1alpha1.ServiceType;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import java.util.Optional;

/**
 * The spec with the CRD's defaults filled in.
 *
 * <p>The API server applies the same defaults, but the builders must not depend on that: objects
 * created before a default existed, and unit tests, come without them.
 */
public final class EffectiveSpec {

  public static final int DEFAULT_REPLICAS = 1;
  public static final int DEFAULT_PORT = 8000;
  public static final int DEFAULT_SERVICE_PORT = 80;

  private EffectiveSpec() {}

  static InferenceServiceSpec spec(InferenceService is) {
    return Optional.ofNullable(is.getSpec()).orElseGet(InferenceServiceSpec::new);
  }

  public static int replicas(InferenceService is) {
    return Optional.ofNullable(spec(is).getReplicas()).orElse(DEFAULT_REPLICAS);
  }

  public static WorkloadKind workload(InferenceService is) {
    return Optional.ofNullable(spec(is).getWorkload()).orElse(WorkloadKind.Deployment);
  }

  public static StrategyType strategy(InferenceService is) {
    return Optional.ofNullable(spec(is).getStrategy())
        .map(s -> s.getType())
        .orElse(StrategyType.RollingUpdate);
  }

  public static int port(InferenceService is) {
    return Optional.ofNullable(spec(is).getPort()).orElse(DEFAULT_PORT);
  }

  public static AppSpec app(InferenceService is) {
    return Optional.ofNullable(spec(is).getApp()).orElseGet(AppSpec::new);
  }

  static ServiceExposureSpec service(InferenceService is) {
    return Optional.ofNullable(spec(is).getService()).orElseGet(ServiceExposureSpec::new);
  }

  public static boolean serviceEnabled(InferenceService is) {
    return !Boolean.FALSE.equals(service(is).getEnabled());
  }

  public static ServiceType serviceType(InferenceService is) {
    return Optional.ofNullable(service(is).getType()).orElse(ServiceType.ClusterIP);
  }

  public static int servicePort(InferenceService is) {
    return Optional.ofNullable(service(is).getPort()).orElse(DEFAULT_SERVICE_PORT);
  }

  /** The in-cluster URL of the Service. */
  public static String url(InferenceService is) {
    return "http://"
        + ResourceNaming.serviceName(is)
        + "."
        + ResourceNaming.namespace(is)
        + ".svc:"
        + servicePort(is);
  }
}
