package dev.inferops.operator.reconciler;

import dev.inferops.operator.analysis.CanaryAnalyzer;
import dev.inferops.operator.analysis.PodMetricsSource;
import dev.inferops.operator.analysis.ShadowMeter;
import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.rollout.NoRollout;
import dev.inferops.operator.rollout.RolloutStrategy;
import dev.inferops.operator.rollout.ServiceEndpoints;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.rollout.bluegreen.BlueGreenStrategy;
import dev.inferops.operator.rollout.canary.CanaryStrategy;
import dev.inferops.operator.rollout.rolling.RollingUpdateStrategy;
import dev.inferops.operator.workload.Intent;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout strategy of each intent: a Deployment's by its strategy type, the other workload
 * kinds' none. A new strategy type is one entry here.
 */
public final class Strategies {

  private final Map<StrategyType, RolloutStrategy> deployments = new EnumMap<>(StrategyType.class);

  /**
   * The strategies of an operator: new versions are smoke-tested by {@code smokeTester}; canaries
   * are judged and shadows counted from the pods' {@code /metrics}, read through {@code metrics}.
   */
  public Strategies(SmokeTester smokeTester, PodMetricsSource metrics) {
    deployments.put(StrategyType.RollingUpdate, new RollingUpdateStrategy());
    deployments.put(
        StrategyType.BlueGreen, new BlueGreenStrategy(smokeTester, new ShadowMeter(metrics)));
    deployments.put(
        StrategyType.Canary, new CanaryStrategy(smokeTester, new CanaryAnalyzer(metrics)));
  }

  public RolloutStrategy of(Intent intent) {
    return switch (intent.kind()) {
      case Deployment -> deployments.get(intent.strategy());
      case ReplicaSet -> NoRollout.REPLICA_SET;
      case Pod -> NoRollout.BARE_PODS;
    };
  }

  /** The informers the strategies' decisions read, besides the dependents' own. */
  List<EventSource<?, InferenceService>> eventSources(
      EventSourceContext<InferenceService> context) {
    return List.of(ServiceEndpoints.eventSource(context));
  }
}
