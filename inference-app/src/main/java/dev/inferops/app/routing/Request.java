package dev.inferops.app.routing;

/** A request whose body has been read in full (at most {@link Routes#MAX_BODY_BYTES}). */
public record Request(String method, String path, byte[] body, int length) {}
