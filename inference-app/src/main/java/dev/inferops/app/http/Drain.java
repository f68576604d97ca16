package dev.inferops.app.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Every accepted connection and every request in flight, so that a shutdown can drain them. */
final class Drain {
  /** Sent down a connection's pipeline: close it if it is between two requests. */
  enum CloseIfIdle {
    EVENT
  }

  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  // Requests whose head has arrived and whose answer has not been written yet.
  private final LongAdder inFlight = new LongAdder();
  private volatile boolean draining;

  /**
   * For the listener's pipeline: tracks every accepted connection at once, before its registration
   * on an event loop, so one accepted as the listener closes is closed too, not leaked.
   */
  ChannelHandler acceptTracker() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
          channels.add(child);
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  void requestStarted() {
    inFlight.increment();
  }

  void requestEnded() {
    inFlight.decrement();
  }

  long requestsInFlight() {
    return inFlight.sum();
  }

  /** From now on every response says Connection: close, so clients move to other pods. */
  void begin() {
    draining = true;
  }

  boolean draining() {
    return draining;
  }

  /** Asks every connection to close if it is waiting between two requests. */
  void closeIdle() {
    for (Channel ch : channels) {
      // Only a registered connection has a loop to run on.
      if (ch.isRegistered()) {
        ch.eventLoop().execute(() -> ch.pipeline().fireUserEventTriggered(CloseIfIdle.EVENT));
      }
    }
  }

  /** Waits until every connection has closed; true when they all did in time. */
  boolean awaitClosed(Duration timeout) {
    return channels.newCloseFuture().awaitUninterruptibly(timeout.toMillis());
  }

  void closeAll() {
    channels.close().awaitUninterruptibly(1000);
  }
}
