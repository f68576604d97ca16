package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Clock;

/**
 * The real reconciler for unit tests outside this package, on a fixed clock and without a client.
 */
public final class UnitReconcilers {

  private UnitReconcilers() {}

  /**
   * The reconciler whose status writes land on the primary it reconciles, as JOSDK's primary cache
   * shows them to the next reconcile; no smoke client (a smoke test due fails).
   */
  public static Reconciler<InferenceService> writingStatusInPlace(
      Clock clock, EventRecorder events) {
    return new InferenceServiceReconciler(
        clock,
        (primary, fresh, context) -> {
          primary.setStatus(fresh.getStatus());
          return primary;
        },
        events);
  }
}
