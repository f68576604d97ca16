package dev.inferops.app.http;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;

/** Netty's decoder, telling the exchange a half-received pipelined request from an idle line. */
final class RequestDecoder extends HttpRequestDecoder {
  RequestDecoder(HttpDecoderConfig config) {
    super(config);
  }

  boolean hasBufferedBytes() {
    return internalBuffer().isReadable();
  }
}
