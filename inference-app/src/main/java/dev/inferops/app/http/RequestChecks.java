package dev.inferops.app.http;

import dev.inferops.app.json.Utf8;
import dev.inferops.app.routing.ApiException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Iterator;
import java.util.Map;

/** What a request head must pass before it is routed: its headers and an RFC 3986 target. */
final class RequestChecks {
  private RequestChecks() {}

  /**
   * At most {@link HttpLimits#MAX_HEADER_COUNT} headers, exactly one Host on HTTP/1.1, and header
   * values that are valid UTF-8.
   *
   * @throws ApiException (400 or 431) naming what is wrong
   */
  static void checkHeaders(HttpRequest r) {
    HttpHeaders headers = r.headers();
    if (headers.size() > HttpLimits.MAX_HEADER_COUNT) {
      throw new ApiException(
          431,
          "too many request headers: "
              + headers.size()
              + " (at most "
              + HttpLimits.MAX_HEADER_COUNT
              + ")",
          null);
    }
    if (r.protocolVersion() == HttpVersion.HTTP_1_1) {
      int hosts = headers.getAll(HttpHeaderNames.HOST).size();
      if (hosts != 1) {
        throw ApiException.badRequest(
            hosts == 0 ? "missing Host header" : "more than one Host header");
      }
    }
    Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
    while (it.hasNext()) {
      Map.Entry<CharSequence, CharSequence> e = it.next();
      if (!isUtf8(e.getValue())) {
        throw ApiException.badRequest("header " + e.getKey() + " is not valid UTF-8");
      }
    }
  }

  /** Header octets arrive as chars 0-255; only a value with a byte >= 0x80 needs decoding. */
  private static boolean isUtf8(CharSequence value) {
    int n = value.length();
    int i = 0;
    while (i < n && value.charAt(i) < 0x80) {
      i++;
    }
    if (i == n) {
      return true;
    }
    byte[] bytes = new byte[n];
    for (int j = 0; j < n; j++) {
      bytes[j] = (byte) value.charAt(j);
    }
    return validUtf8(bytes, n);
  }

  private static boolean validUtf8(byte[] bytes, int n) {
    return Utf8.firstInvalid(bytes, n) < 0;
  }

  /**
   * Checks the request target against RFC 3986 and returns its path, undecoded.
   *
   * @throws ApiException (400) naming what is wrong
   */
  static String requestPath(String uri) {
    String target = uri;
    if (target.isEmpty()) {
      throw ApiException.badRequest("empty request target");
    }
    boolean absolute = false;
    if (target.charAt(0) != '/') {
      String lower =
          target.length() > 8 ? target.substring(0, 8).toLowerCase(java.util.Locale.ROOT) : target;
      int skip = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
      if (skip < 0) {
        throw ApiException.badRequest("request target must be a path starting with '/'");
      }
      int slash = target.indexOf('/', skip);
      target = slash < 0 ? "/" : target.substring(slash);
      absolute = true;
    }
    boolean escaped = false;
    int n = uri.length();
    for (int i = 0; i < n; i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        if (i + 2 >= n || hex(uri.charAt(i + 1)) < 0 || hex(uri.charAt(i + 2)) < 0) {
          throw ApiException.badRequest("bad percent-encoding in the URI at position " + i);
        }
        escaped = true;
      } else if (!uriChar(c) && !(absolute && (c == '[' || c == ']'))) {
        throw ApiException.badRequest(
            String.format(
                "the URI contains a character that must be percent-encoded (0x%02x) at position %d",
                (int) c, i));
      }
    }
    if (escaped && !decodesToUtf8(uri)) {
      throw ApiException.badRequest("the URI is not valid UTF-8 once percent-decoded");
    }
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  // RFC 3986 unreserved, sub-delims, ':', '@', '/', '?'; '%' is checked on its own.
  private static final boolean[] URI_CHARS = new boolean[128];

  static {
    String allowed =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/?";
    for (int i = 0; i < allowed.length(); i++) {
      URI_CHARS[allowed.charAt(i)] = true;
    }
  }

  private static boolean uriChar(char c) {
    return c < 128 && URI_CHARS[c];
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  private static boolean decodesToUtf8(String uri) {
    byte[] bytes = new byte[uri.length()];
    int n = 0;
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c == '%') {
        bytes[n++] = (byte) (hex(uri.charAt(i + 1)) * 16 + hex(uri.charAt(i + 2)));
        i += 2;
      } else {
        bytes[n++] = (byte) c;
      }
    }
    return validUtf8(bytes, n);
  }
}
