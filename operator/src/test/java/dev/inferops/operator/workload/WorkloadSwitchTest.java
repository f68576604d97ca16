package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static dev.inferops.operator.testsupport.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSwitchTest {

  /** Whether the runner of the spec's workload kind runs every replica of its current template. */
  private static boolean ready(InferenceService is, List<Pod> pods) {
    Intent intent = Intent.of(is, null);
    Runner wanted =
        switch (intent.kind()) {
          case Deployment -> Runner.ROLLING_DEPLOYMENT;
          case ReplicaSet -> Runner.REPLICA_SET;
          case Pod -> Runner.BARE_PODS;
        };
    return WorkloadSwitch.wantedReady(
        wanted, intent.templateHash(), EffectiveSpec.replicas(is), pods);
  }

  @Test
  void wantedKindIsReadyOnlyWithAllReplicasReadyOnTheCurrentTemplate() {
    var is =
        inferenceService(
            spec -> {
              spec.setReplicas(2);
              spec.setWorkload(WorkloadKind.ReplicaSet);
            });
    var old = inferenceService(spec -> spec.setWorkload(WorkloadKind.Deployment));

    assertThat(ready(is, List.of())).isFalse();
    assertThat(
            ready(
                is,
                List.of(
                    pod(old, WorkloadKind.Deployment, "d-1", true),
                    pod(old, WorkloadKind.Deployment, "d-2", true),
                    pod(is, WorkloadKind.ReplicaSet, "r-1", true),
                    pod(is, WorkloadKind.ReplicaSet, "r-2", false))))
        .isFalse();
    assertThat(
            ready(
                is,
                List.of(
                    pod(is, WorkloadKind.ReplicaSet, "r-1", true),
                    pod(is, WorkloadKind.ReplicaSet, "r-2", true))))
        .isTrue();
  }

  @Test
  void podsOfAnOutdatedTemplateDoNotCountForDeploymentsAndPods() {
    var is = inferenceService(spec -> spec.setWorkload(WorkloadKind.Pod));
    var outdated =
        inferenceService(
            spec -> {
              spec.setWorkload(WorkloadKind.Pod);
              spec.setImage("old:1");
            });
    assertThat(ready(is, List.of(pod(outdated, WorkloadKind.Pod, "p", true)))).isFalse();
    assertThat(ready(is, List.of(pod(is, WorkloadKind.Pod, "p", true)))).isTrue();
  }

  @Test
  void zeroReplicasAreReadyAtOnce() {
    var is = inferenceService(spec -> spec.setReplicas(0));
    assertThat(ready(is, List.of())).isTrue();
  }
}
