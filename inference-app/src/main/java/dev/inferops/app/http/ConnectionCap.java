package dev.inferops.app.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code HTTP_MAX_CONNECTIONS} open connections: one more gets a JSON 503 and is closed.
 */
final class ConnectionCap {
  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final byte[] rejection;

  ConnectionCap(int max, String appVersion) {
    this.max = max;
    this.rejection = rejection(max, appVersion);
  }

  /** Counts a new connection until it closes; false when it is one over the cap. */
  boolean admit(Channel ch) {
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    return open.incrementAndGet() <= max;
  }

  /** The whole pipeline of a connection over the cap. */
  ChannelHandler rejecter() {
    return new Reject();
  }

  int open() {
    return open.get();
  }

  private static byte[] rejection(int max, String appVersion) {
    // By hand: the first Reply.json would build Jackson's mapper on the start-up path.
    byte[] body =
        ("{\"error\":\"too many connections (at most " + max + ")\"}")
            .getBytes(StandardCharsets.US_ASCII);
    String head =
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "content-type: application/json\r\n"
            + "content-length: "
            + body.length
            + "\r\n"
            + "x-app-version: "
            + appVersion
            + "\r\nconnection: close\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** Over the connection cap: one JSON 503, then close. */
  private final class Reject extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(rejection)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
