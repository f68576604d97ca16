package dev.inferops.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00.123Z");
  private static final Instant T1 = Instant.parse("2025-01-02T00:00:00Z");

  @Test
  void newConditionStartsNowInTheStandardShape() {
    Condition c = Conditions.condition(List.of(), "Ready", true, "AllReplicasReady", "2/2", 4L, T0);
    assertThat(c.getType()).isEqualTo("Ready");
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("AllReplicasReady");
    assertThat(c.getMessage()).isEqualTo("2/2");
    assertThat(c.getObservedGeneration()).isEqualTo(4L);
    assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void keepsTheTransitionTimeWhileTheStatusStays() {
    Condition before = Conditions.condition(List.of(), "Ready", true, "A", "m", 1L, T0);
    Condition same = Conditions.condition(List.of(before), "Ready", true, "B", "other", 2L, T1);
    Condition flipped = Conditions.condition(List.of(before), "Ready", false, "C", "m", 2L, T1);
    assertThat(same.getLastTransitionTime()).isEqualTo(before.getLastTransitionTime());
    assertThat(flipped.getLastTransitionTime()).isEqualTo("2025-01-02T00:00:00Z");
  }

  @Test
  void findsByType() {
    Condition ready = Conditions.condition(List.of(), "Ready", true, "A", "m", 1L, T0);
    assertThat(Conditions.isTrue(List.of(ready), "Ready")).isTrue();
    assertThat(Conditions.isTrue(List.of(ready), "Degraded")).isFalse();
    assertThat(Conditions.find(null, "Ready")).isEmpty();
  }
}
