package dev.inferops.operator.reconciler;

import static dev.inferops.operator.testsupport.Fixtures.inferenceService;
import static dev.inferops.operator.testsupport.Fixtures.readyPods;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceStatusBuilder;
import dev.inferops.operator.api.v1alpha1.Phase;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.testsupport.RecordedEvents;
import dev.inferops.operator.testsupport.TestContext;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reconciler against a stand-in for JOSDK's primary cache: a status written through the
 * StatusWriter is what the next reconcile sees, as PrimaryUpdateAndCacheUtils guarantees.
 */
class InferenceServiceReconcilerTest {

  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final RecordedEvents events = new RecordedEvents();
  private final List<InferenceService> writes = new ArrayList<>();

  /** Ready with 3 pods, then the Deployment is not observed yet: Ready -> Progressing. */
  private static InferenceService readyWithThreePods(List<Pod> pods) {
    InferenceService is = inferenceService(spec -> spec.setReplicas(3));
    pods.addAll(readyPods(is, WorkloadKind.Deployment, "a", "b", "c"));
    is.setStatus(
        new InferenceServiceStatusBuilder().withPhase(Phase.Ready).withReadyReplicas(3).build());
    return is;
  }

  private InferenceServiceReconciler reconciler(
      InferenceServiceReconciler.StatusWriter statusWriter) {
    return new InferenceServiceReconciler(CLOCK, statusWriter, events);
  }

  @Test
  void aPhaseChangeIsAnnouncedOnceOverConsecutiveReconciles() {
    List<Pod> pods = new ArrayList<>();
    InferenceService cached = readyWithThreePods(pods);
    InferenceServiceReconciler reconciler =
        reconciler(
            (primary, fresh, context) -> {
              // What the API server returns and the cache then holds: the primary, new status.
              InferenceService updated = inferenceService(spec -> spec.setReplicas(3));
              updated.setStatus(fresh.getStatus());
              writes.add(updated);
              return updated;
            });

    for (int i = 0; i < 3; i++) {
      var control = reconciler.reconcile(cached, TestContext.secondaries(() -> pods));
      // A status in the UpdateControl would be patched but not cached by JOSDK 5.
      assertThat(control.isPatchStatus()).isFalse();
      if (!writes.isEmpty()) {
        cached = writes.get(writes.size() - 1);
      }
    }

    assertThat(writes).hasSize(1);
    assertThat(writes.get(0).getStatus().getPhase()).isEqualTo(Phase.Progressing);
    assertThat(events.list())
        .containsExactly("PhaseProgressing: Phase Ready -> Progressing: 3 of 3 pods ready");
  }

  @Test
  void noEventWhenTheStatusWriteFails() {
    List<Pod> pods = new ArrayList<>();
    InferenceService cached = readyWithThreePods(pods);
    InferenceServiceReconciler reconciler =
        reconciler(
            (primary, fresh, context) -> {
              throw new IllegalStateException("conflict");
            });

    assertThatThrownBy(() -> reconciler.reconcile(cached, TestContext.secondaries(() -> pods)))
        .hasMessage("conflict");

    assertThat(events.list()).isEmpty();
  }
}
