package dev.inferops.app.http;

/**
 * What a client may send at most, in one place: the decoder enforces them, the errors quote them.
 */
final class HttpLimits {
  static final int MAX_REQUEST_LINE = 8192;
  static final int MAX_HEADER_BYTES = 16384;
  static final int MAX_HEADER_COUNT = 100;
  static final int MAX_CHUNK_BYTES = 64 * 1024;
  // Reading (and discarding) a moderately oversized body lets the client see the 413 instead of a
  // connection reset; beyond this we answer and close.
  static final int MAX_DRAIN_BYTES = 8 << 20;

  private HttpLimits() {}
}
