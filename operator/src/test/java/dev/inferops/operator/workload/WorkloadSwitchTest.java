package dev.inferops.operator.workload;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static dev.inferops.operator.testsupport.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSwitchTest {

  @Test
  void wantedKindIsReadyOnlyWithAllReplicasReadyOnTheCurrentTemplate() {
    var is =
        inferenceService(
            spec -> {
              spec.setReplicas(2);
              spec.setWorkload(WorkloadKind.ReplicaSet);
            });
    var old = inferenceService(spec -> spec.setWorkload(WorkloadKind.Deployment));

    assertThat(WorkloadSwitch.wantedKindReady(is, null, List.of())).isFalse();
    assertThat(
            WorkloadSwitch.wantedKindReady(
                is,
                null,
                List.of(
                    pod(old, WorkloadKind.Deployment, "d-1", true),
                    pod(old, WorkloadKind.Deployment, "d-2", true),
                    pod(is, WorkloadKind.ReplicaSet, "r-1", true),
                    pod(is, WorkloadKind.ReplicaSet, "r-2", false))))
        .isFalse();
    assertThat(
            WorkloadSwitch.wantedKindReady(
                is,
                null,
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
    assertThat(
            WorkloadSwitch.wantedKindReady(
                is, null, List.of(pod(outdated, WorkloadKind.Pod, "p", true))))
        .isFalse();
    assertThat(
            WorkloadSwitch.wantedKindReady(is, null, List.of(pod(is, WorkloadKind.Pod, "p", true))))
        .isTrue();
  }

  @Test
  void zeroReplicasAreReadyAtOnce() {
    var is = inferenceService(spec -> spec.setReplicas(0));
    assertThat(WorkloadSwitch.wantedKindReady(is, null, List.of())).isTrue();
  }
}
