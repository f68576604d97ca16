package dev.inferops.operator.events;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Holds the {@code Created} Events of one reconcile and records them as one on {@link #flush}: a
 * new InferenceService gets one Event "Created ConfigMap heart-config, Deployment heart, Service
 * heart" rather than three, a write fewer per object on the API server for the same news.
 */
public final class CoalescingEventRecorder implements EventRecorder {

  private static final String CREATED = Reason.Created + " ";

  private final EventRecorder delegate;
  private final Map<String, List<String>> created = new ConcurrentHashMap<>();

  public CoalescingEventRecorder(EventRecorder delegate) {
    this.delegate = delegate;
  }

  @Override
  public void record(InferenceService is, Type type, Reason reason, String message) {
    if (reason == Reason.Created && type == Type.Normal && message.startsWith(CREATED)) {
      created
          .computeIfAbsent(key(is), k -> new CopyOnWriteArrayList<>())
          .add(message.substring(CREATED.length()));
    } else {
      delegate.record(is, type, reason, message);
    }
  }

  @Override
  public void flush(InferenceService is) {
    List<String> objects = created.remove(key(is));
    if (objects != null && !objects.isEmpty()) {
      List<String> sorted = new ArrayList<>(objects);
      sorted.sort(null);
      delegate.record(is, Type.Normal, Reason.Created, CREATED + String.join(", ", sorted));
    }
  }

  private static String key(InferenceService is) {
    return is.getMetadata().getNamespace() + "/" + is.getMetadata().getName();
  }
}
