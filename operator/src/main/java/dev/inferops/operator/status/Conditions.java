package dev.inferops.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Standard Kubernetes conditions that keep their lastTransitionTime while the status stays. */
public final class Conditions {

  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";

  private Conditions() {}

  /** As below, with one of the operator's own reasons. */
  public static Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      ConditionReason reason,
      String message,
      Long observedGeneration,
      Instant now) {
    return condition(previous, type, status, reason.name(), message, observedGeneration, now);
  }

  /**
   * A condition of the given type; lastTransitionTime is taken from the previous condition of that
   * type when its status is unchanged, else it is {@code now}. {@code reason} is a string as a
   * blue-green rollout's reason comes back from the status it was written to.
   */
  public static Condition condition(
      List<Condition> previous,
      String type,
      boolean status,
      String reason,
      String message,
      Long observedGeneration,
      Instant now) {
    String statusValue = status ? "True" : "False";
    String transition =
        find(previous, type)
            .filter(c -> Objects.equals(c.getStatus(), statusValue))
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .orElseGet(() -> now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new ConditionBuilder()
        .withType(type)
        .withStatus(statusValue)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(observedGeneration)
        .withLastTransitionTime(transition)
        .build();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
