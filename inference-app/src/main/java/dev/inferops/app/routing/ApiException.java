package dev.inferops.app.routing;

/**
 * A request the client got wrong (or, with FAULT_INJECTION_ERROR_FRACTION, one failed on purpose):
 * carries the HTTP status and, where it applies, the bad field.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;

  public ApiException(int status, String message, String field) {
    // No stack trace: these are expected outcomes of bad input, thrown on the hot path.
    super(message, null, false, false);
    this.status = status;
    this.field = field;
  }

  public static ApiException badRequest(String message, String field) {
    return new ApiException(400, message, field);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, message, null);
  }

  public int status() {
    return status;
  }

  /** The offending field such as {@code instances[3].age}, or null when the whole body is wrong. */
  public String field() {
    return field;
  }
}
