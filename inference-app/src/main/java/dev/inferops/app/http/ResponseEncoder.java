package dev.inferops.app.http;

import dev.inferops.app.routing.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Writes a {@link Reply} as an HTTP/1.1 response with the headers every answer carries. */
final class ResponseEncoder {
  private record Stamp(long second, byte[] line) {}

  private static volatile Stamp date = new Stamp(-1, new byte[0]);

  private final byte[] versionHeader;
  private final byte[] continueResponse;

  ResponseEncoder(String appVersion) {
    this.versionHeader = ascii("x-app-version: " + appVersion + "\r\n");
    this.continueResponse =
        ascii("HTTP/1.1 100 Continue\r\nx-app-version: " + appVersion + "\r\n\r\n");
  }

  /** Fills the caches of the first response ahead of use; see {@link HttpTransport#preload}. */
  static void preload() {
    statusLine(200);
    date();
  }

  /** The interim answer that invites the body of a request sent with Expect: 100-continue. */
  ByteBuf continueResponse() {
    return Unpooled.wrappedBuffer(continueResponse);
  }

  /**
   * The response as bytes, head and body in one buffer: what an encoder and a headers map would
   * produce, without building either for every response.
   */
  ByteBuf encode(
      ByteBufAllocator alloc, Reply reply, boolean keep, boolean head, boolean http10KeepAlive) {
    byte[] body = reply.body();
    byte[] status = statusLine(reply.status());
    byte[] type = contentType(reply.contentType());
    byte[] date = date();
    String allow = reply.allow();
    ByteBuf b =
        alloc.ioBuffer(
            status.length
                + type.length
                + versionHeader.length
                + date.length
                + 64
                + (allow == null ? 0 : allow.length() + 10)
                + (head ? 0 : body.length));
    b.writeBytes(status).writeBytes(type).writeBytes(CONTENT_LENGTH);
    b.writeCharSequence(Integer.toString(body.length), StandardCharsets.US_ASCII);
    b.writeBytes(CRLF).writeBytes(versionHeader).writeBytes(date);
    if (allow != null) {
      b.writeBytes(ALLOW).writeCharSequence(allow, StandardCharsets.US_ASCII);
      b.writeBytes(CRLF);
    }
    if (!keep) {
      b.writeBytes(CONNECTION_CLOSE);
    } else if (http10KeepAlive) {
      b.writeBytes(CONNECTION_KEEP_ALIVE);
    }
    b.writeBytes(CRLF);
    if (!head) {
      b.writeBytes(body);
    }
    return b;
  }

  private static final byte[] CRLF = ascii("\r\n");
  private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
  private static final byte[] ALLOW = ascii("allow: ");
  private static final byte[] CONNECTION_CLOSE = ascii("connection: close\r\n");
  private static final byte[] CONNECTION_KEEP_ALIVE = ascii("connection: keep-alive\r\n");
  private static final byte[] JSON_TYPE = ascii("content-type: " + Reply.JSON + "\r\n");
  private static final byte[] PROMETHEUS_TYPE = ascii("content-type: " + Reply.PROMETHEUS + "\r\n");
  private static final byte[][] STATUS_LINES = new byte[600][];

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] contentType(String type) {
    if (Reply.JSON.equals(type)) {
      return JSON_TYPE;
    }
    return Reply.PROMETHEUS.equals(type)
        ? PROMETHEUS_TYPE
        : ascii("content-type: " + type + "\r\n");
  }

  // Filled on first use; two threads racing write equal arrays.
  static byte[] statusLine(int code) {
    byte[] line = STATUS_LINES[code];
    if (line == null) {
      line =
          ascii(
              "HTTP/1.1 " + code + " " + HttpResponseStatus.valueOf(code).reasonPhrase() + "\r\n");
      STATUS_LINES[code] = line;
    }
    return line;
  }

  /** The Date header every origin server with a clock must send, formatted once a second. */
  static byte[] date() {
    long second = System.currentTimeMillis() / 1000;
    Stamp s = date;
    if (s.second() != second) {
      s =
          new Stamp(
              second, ascii("date: " + DateFormatter.format(new Date(second * 1000)) + "\r\n"));
      date = s;
    }
    return s.line();
  }
}
