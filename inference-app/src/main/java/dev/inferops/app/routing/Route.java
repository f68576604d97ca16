package dev.inferops.app.routing;

/**
 * A route template and the one method it answers; the template is also the metric label, so every
 * unknown path shares {@link #UNMATCHED}.
 */
public record Route(String label, String method) {
  /** Any path that no protocol serves. */
  public static final Route UNMATCHED = new Route("unmatched", null);
}
