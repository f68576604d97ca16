package dev.inferops.operator.testsupport;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.events.EventRecorder;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EventRecorder} for unit tests that keeps each Event as "reason: message". */
public final class RecordedEvents implements EventRecorder {

  private final List<String> events = new CopyOnWriteArrayList<>();

  @Override
  public void record(InferenceService is, Type type, Reason reason, String message) {
    events.add(reason + ": " + message);
  }

  /** The recorded Events, oldest first. */
  public List<String> list() {
    return List.copyOf(events);
  }
}
