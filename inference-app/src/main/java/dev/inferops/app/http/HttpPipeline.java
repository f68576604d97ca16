package dev.inferops.app.http;

import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.routing.Routes;
import dev.inferops.app.settings.Settings;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;

/**
 * Sets up each accepted connection: over the cap, only the 503; else the watch for a request's
 * first byte, the HTTP/1.1 decoder within {@link HttpLimits}, and the exchange.
 */
final class HttpPipeline extends ChannelInitializer<SocketChannel> {
  private final HttpDecoderConfig decoderConfig =
      new HttpDecoderConfig()
          .setMaxInitialLineLength(HttpLimits.MAX_REQUEST_LINE)
          .setMaxHeaderSize(HttpLimits.MAX_HEADER_BYTES)
          .setMaxChunkSize(HttpLimits.MAX_CHUNK_BYTES);
  private final Settings settings;
  private final Routes routes;
  private final AppMetrics metrics;
  private final ConnectionCap cap;
  private final Drain drain;
  private final ResponseEncoder encoder;

  HttpPipeline(
      Settings settings,
      Routes routes,
      AppMetrics metrics,
      ConnectionCap cap,
      Drain drain,
      ResponseEncoder encoder) {
    this.settings = settings;
    this.routes = routes;
    this.metrics = metrics;
    this.cap = cap;
    this.drain = drain;
    this.encoder = encoder;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (!cap.admit(ch)) {
      ch.pipeline().addLast(cap.rejecter());
      return;
    }
    RequestDecoder decoder = new RequestDecoder(decoderConfig);
    Exchange exchange = new Exchange(settings, routes, metrics, drain, encoder, decoder);
    ch.pipeline()
        .addLast("arrivals", exchange.arrivals())
        .addLast("decoder", decoder)
        .addLast("exchange", exchange);
  }
}
