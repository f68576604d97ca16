package dev.inferops.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.InferenceServiceBuilder;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.events.EventRecorder.Type;
import dev.inferops.operator.testsupport.RecordedEvents;
import org.junit.jupiter.api.Test;

class CoalescingEventRecorderTest {

  @Test
  void theCreatedEventsOfOneReconcileBecomeOneAndOthersPassStraightThrough() {
    RecordedEvents recorded = new RecordedEvents();
    CoalescingEventRecorder events = new CoalescingEventRecorder(recorded);
    InferenceService heart = inferenceService("heart");
    InferenceService other = inferenceService("other");

    events.record(heart, Type.Normal, Reason.Created, "Created Service heart");
    events.record(heart, Type.Normal, Reason.Created, "Created ConfigMap heart-config");
    events.record(other, Type.Normal, Reason.Created, "Created Service other");
    events.record(heart, Type.Normal, Reason.Updated, "Updated Deployment heart");
    assertThat(recorded.list()).containsExactly("Updated: Updated Deployment heart");

    events.flush(heart);
    events.flush(heart);

    assertThat(recorded.list())
        .containsExactly(
            "Updated: Updated Deployment heart",
            "Created: Created ConfigMap heart-config, Service heart");
    events.flush(other);
    assertThat(recorded.list()).last().isEqualTo("Created: Created Service other");
  }

  private static InferenceService inferenceService(String name) {
    return new InferenceServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .build();
  }
}
