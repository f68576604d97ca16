package dev.inferops.app.http;

import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.routing.Routes;
import dev.inferops.app.settings.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 on Netty: event loops that never block, so a stalled client costs a connection slot and
 * never a thread. This class owns the loops and the listener and stops them in order; each
 * connection's work is in {@link HttpPipeline} and {@link Exchange}.
 */
public final class HttpTransport {
  private final Settings settings;
  private final boolean epoll;
  private final EventLoopGroup group;
  private final ConnectionCap cap;
  private final Drain drain = new Drain();
  private final HttpPipeline pipeline;
  private Channel listener;

  public HttpTransport(Settings settings, Routes routes, AppMetrics metrics) {
    this.settings = settings;
    // epoll saves a selector wake-up and garbage per read; NIO when the native library cannot load
    // (another CPU, or a read-only /tmp to unpack it into).
    this.epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            settings.httpThreads(),
            new DefaultThreadFactory("http", false),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.cap = new ConnectionCap(settings.maxConnections(), settings.appVersion());
    this.pipeline =
        new HttpPipeline(
            settings, routes, metrics, cap, drain, new ResponseEncoder(settings.appVersion()));
  }

  /**
   * Loads and initialises the transport's classes (and the epoll native library) ahead of use:
   * called on a second thread while the main thread loads the model, it takes Netty's share of
   * start-up off the critical path.
   */
  public static void preload() {
    Epoll.isAvailable();
    new HttpDecoderConfig();
    new HttpRequestDecoder(new HttpDecoderConfig()).isSharable();
    new ServerBootstrap().config();
    DefaultHttpHeadersFactory.headersFactory().newHeaders();
    ResponseEncoder.preload();
  }

  public String transportName() {
    return epoll ? "epoll" : "nio";
  }

  /** Binds and starts accepting; returns the port. */
  public int start() throws IOException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group, group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            // Netty 4.2's adaptive allocator spent a seventh of the CPU in its recycler and
            // queues here; the pooled one serves from thread-local caches.
            .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A client that half-closes mid-request still gets its 400 (see Exchange).
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(drain.acceptTracker())
            .childHandler(pipeline);
    try {
      listener =
          bootstrap
              .bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
              .syncUninterruptibly()
              .channel();
    } catch (Exception e) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    return ((InetSocketAddress) listener.localAddress()).getPort();
  }

  public long requestsInFlight() {
    return drain.requestsInFlight();
  }

  public int openConnections() {
    return cap.open();
  }

  /** From now on every response says Connection: close, so clients move to other pods. */
  public void beginDrain() {
    drain.begin();
  }

  /** Closes the listener, then every connection waiting between two requests. */
  public void stopAccepting() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    drain.closeIdle();
  }

  /** Waits until every connection has closed; true when they all did in time. */
  public boolean awaitConnectionsClosed(Duration timeout) {
    return drain.awaitClosed(timeout);
  }

  /** Closes whatever is left and stops the event loops. */
  public void close() {
    if (listener != null) {
      listener.close();
    }
    drain.closeAll();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
  }
}
