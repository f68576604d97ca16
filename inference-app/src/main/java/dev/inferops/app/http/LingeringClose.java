package dev.inferops.app.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Closing a socket with unread input makes the kernel send a reset, and the client may lose the
 * response before reading it; like nginx's lingering close, send FIN first and discard what still
 * arrives until the client closes or a moment has passed.
 */
final class LingeringClose {
  private static final long LINGER_MILLIS = 2000;

  private LingeringClose() {}

  /** Closes the connection once {@code written}, the last response, is out. */
  static void after(ChannelHandlerContext ctx, Future<? super Void> written) {
    if (!written.isSuccess()
        || !(ctx.channel() instanceof SocketChannel socket)
        || socket.isInputShutdown()) {
      ctx.close();
      return;
    }
    socket
        .shutdownOutput()
        .addListener(
            f -> ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
  }
}
