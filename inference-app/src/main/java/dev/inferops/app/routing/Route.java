package dev.inferops.app.routing;

/**
 * A route template and the one method it answers; the template is also the metric label, so every
 * unknown path shares {@link #UNMATCHED}.
 *
 * @param prediction true for the routes that score the model, the only ones the fault-injection
 *     settings act on
 */
public record Route(String label, String method, boolean prediction) {
  /** Any path that no protocol serves. */
  public static final Route UNMATCHED = new Route("unmatched", null);

  public Route(String label, String method) {
    this(label, method, false);
  }

  /** A route that scores the model. */
  public static Route prediction(String label, String method) {
    return new Route(label, method, true);
  }

  /** True when a request with {@code method} on this route asks for a prediction. */
  public boolean predicts(String method) {
    return prediction && this.method.equals(method);
  }
}
