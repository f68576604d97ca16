package dev.inferops.app.routing;

/** One protocol's routes, which it registers with the router itself. */
public interface Endpoints {
  /** Adds this protocol's routes and their handlers. */
  void register(Routes routes);

  /**
   * Serves the common answers once, off the request path, so that the first requests after start do
   * not pay for building serialisers; called on a background thread once the port is open.
   */
  default void warmUp() {}
}
