package dev.inferops.app.routing;

/**
 * A request whose body has been read in full (at most {@link Routes#MAX_BODY_BYTES}).
 *
 * @param inferenceHeaderLength the Open Inference Protocol's {@code
 *     Inference-Header-Content-Length} header as sent (the JSON part's length when binary tensor
 *     data follows it), or null
 */
public record Request(
    String method, String path, byte[] body, int length, String inferenceHeaderLength) {

  public Request(String method, String path, byte[] body, int length) {
    this(method, path, body, length, null);
  }
}
