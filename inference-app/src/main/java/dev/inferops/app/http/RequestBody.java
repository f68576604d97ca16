package dev.inferops.app.http;

import dev.inferops.app.routing.Routes;
import io.netty.buffer.ByteBuf;

/**
 * The body of the request being received: kept up to {@link Routes#MAX_BODY_BYTES}; past that,
 * counted and dropped up to {@link HttpLimits#MAX_DRAIN_BYTES} so the client can still read its
 * 413.
 */
final class RequestBody {
  private static final byte[] EMPTY = new byte[0];

  private byte[] bytes = EMPTY;
  private int length;
  private long discarded;
  private boolean tooLarge;

  /** Starts a new request's body. */
  void reset() {
    bytes = EMPTY;
    length = 0;
    discarded = 0;
    tooLarge = false;
  }

  /**
   * Sizes the buffer from the head.
   *
   * @param declared the Content-Length, or -1
   */
  void expect(long declared, boolean chunked) {
    if (declared > Routes.MAX_BODY_BYTES) {
      tooLarge = true;
    } else if (declared > 0) {
      bytes = new byte[(int) declared];
    } else if (chunked) {
      bytes = new byte[1024];
    }
  }

  /**
   * Adds a piece of the body.
   *
   * @return false once the dropped bytes pass {@link HttpLimits#MAX_DRAIN_BYTES}: answer and close
   */
  boolean append(ByteBuf buf) {
    int n = buf.readableBytes();
    if (tooLarge) {
      discarded += n;
      return discarded <= HttpLimits.MAX_DRAIN_BYTES;
    }
    if ((long) length + n > Routes.MAX_BODY_BYTES) {
      tooLarge = true;
      discarded = (long) length + n;
      bytes = EMPTY;
    } else if (n > 0) {
      if (length + n > bytes.length) {
        byte[] grown =
            new byte[Math.min(Routes.MAX_BODY_BYTES, Math.max(length + n, 2 * bytes.length))];
        System.arraycopy(bytes, 0, grown, 0, length);
        bytes = grown;
      }
      buf.getBytes(buf.readerIndex(), bytes, length, n);
      length += n;
    }
    return true;
  }

  /** True when the body is over the limit: the answer is a 413 whatever the route. */
  boolean tooLarge() {
    return tooLarge;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  /** Lets the bytes go once the request is answered; the size verdict stays until the next one. */
  void release() {
    bytes = null;
  }
}
