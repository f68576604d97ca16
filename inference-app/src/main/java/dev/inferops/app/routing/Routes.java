package dev.inferops.app.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps a method and path to the handler a protocol registered for it, and turns every failure into
 * the one JSON error shape.
 */
public final class Routes {
  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);

  public static final int MAX_BODY_BYTES = 1 << 20;

  /** Answers one request of a route; may throw {@link ApiException}. */
  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request);
  }

  /**
   * Sees the successful (200) answers of a route once they are on their way to the client, e.g. to
   * copy them elsewhere; runs on the event loop, so it must never block.
   */
  @FunctionalInterface
  public interface Tap {
    void answered(Request request, Reply reply);
  }

  private record Prefix(String prefix, Function<String, Route> matcher) {}

  private final Map<String, Route> paths = new HashMap<>();
  private final List<Prefix> prefixes = new ArrayList<>();
  private final Map<Route, Handler> handlers = new HashMap<>();
  private final Map<Route, Tap> taps = new HashMap<>();

  /** Serves {@code route} at the exact path its label names. */
  public void add(Route route, Handler handler) {
    addTemplate(route, handler);
    paths.put(route.label(), route);
  }

  /** Serves a templated route; {@link #addPrefix} says which paths belong to it. */
  public void addTemplate(Route route, Handler handler) {
    if (handlers.putIfAbsent(route, handler) != null) {
      throw new IllegalStateException("route " + route + " is registered twice");
    }
  }

  /**
   * Paths under {@code prefix} that no exact route claims are named by {@code matcher}: one of the
   * protocol's templated routes, or {@link Route#UNMATCHED}.
   */
  public void addPrefix(String prefix, Function<String, Route> matcher) {
    prefixes.add(new Prefix(prefix, matcher));
  }

  /** Shows {@code route}'s 200 answers to {@code tap}; before the server starts only. */
  public void tap(Route route, Tap tap) {
    taps.put(route, tap);
  }

  /** Called after a reply is written; never throws, as the client already has its answer. */
  public void answered(Route route, Request request, Reply reply) {
    Tap tap = taps.get(route);
    if (tap == null || reply.status() != 200) {
      return;
    }
    try {
      tap.answered(request, reply);
    } catch (RuntimeException e) {
      LOG.error("unexpected error after answering {} {}", request.method(), request.path(), e);
    }
  }

  /** The route of a path, whatever the method; {@link Route#UNMATCHED} when none. */
  public Route match(String path) {
    Route exact = paths.get(path);
    if (exact != null) {
      return exact;
    }
    for (Prefix p : prefixes) {
      if (path.startsWith(p.prefix())) {
        return p.matcher().apply(path);
      }
    }
    return Route.UNMATCHED;
  }

  /** Answers one request; never throws. */
  public Reply handle(Route route, Request request) {
    try {
      return dispatch(route, request);
    } catch (ApiException e) {
      return Reply.error(e);
    } catch (RuntimeException e) {
      // A bug in this app, never the client's input: log it in full, tell the client little.
      LOG.error("unexpected error handling {} {}", request.method(), request.path(), e);
      return Reply.error(500, "internal server error", null);
    }
  }

  private Reply dispatch(Route route, Request request) {
    if (route.equals(Route.UNMATCHED)) {
      return Reply.error(404, "no route for " + request.path(), null);
    }
    String method = request.method();
    if (!route.method().equals(method)) {
      return Reply.error(
              405, "method " + method + " is not allowed here; use " + route.method(), null)
          .withAllow(route.method());
    }
    return handlers.get(route).handle(request);
  }
}
