package dev.inferops.app.http;

import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Routes;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.time.Duration;

/** The answers to requests that break HTTP itself, in the same JSON shape as every other error. */
final class ProtocolErrors {
  private ProtocolErrors() {}

  /** Maps a decoder failure to its status: 414 and 431 for limits, 400 for anything malformed. */
  static Reply decoderFailure(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Reply.error(
          414,
          "request line (method, URI, version) is longer than "
              + HttpLimits.MAX_REQUEST_LINE
              + " bytes",
          null);
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return Reply.error(
          431, "request headers are larger than " + HttpLimits.MAX_HEADER_BYTES + " bytes", null);
    }
    String message = cause == null ? null : cause.getMessage();
    if (message == null || message.isBlank()) {
      message = cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return Reply.error(400, "malformed HTTP request: " + message, null);
  }

  static Reply tooLarge() {
    return Reply.error(413, tooLargeMessage(), null);
  }

  static String tooLargeMessage() {
    return "request body is larger than " + Routes.MAX_BODY_BYTES + " bytes";
  }

  static ApiException expectationFailed(String expect) {
    return new ApiException(417, "Expect: " + expect + " is not supported", null);
  }

  static Reply timedOut(Duration requestTimeout) {
    return Reply.error(
        408, "request not received in full within " + requestTimeout.toSeconds() + " s", null);
  }

  static Reply halfClosed() {
    return Reply.error(400, "the client closed its side before the request was complete", null);
  }
}
