package dev.inferops.app;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 on Netty: event loops that never block, so a stalled client costs a connection slot and
 * never a thread; per-request and idle deadlines; a connection cap; and every protocol-level
 * failure answered in the app's JSON error shape.
 */
final class HttpTransport {
  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  static final int MAX_REQUEST_LINE = 8192;
  static final int MAX_HEADER_BYTES = 16384;
  static final int MAX_HEADER_COUNT = 100;
  // Reading (and discarding) a moderately oversized body lets the client see the 413 instead of a
  // connection reset; beyond this we answer and close.
  static final int MAX_DRAIN_BYTES = 8 << 20;
  private static final long LINGER_MILLIS = 2000;

  private static final byte[] EMPTY = new byte[0];

  private record Stamp(long second, byte[] line) {}

  private static volatile Stamp date = new Stamp(-1, new byte[0]);

  private final Settings settings;
  private final Routes routes;
  private final AppMetrics metrics;
  private final byte[] versionHeader;
  private final byte[] continueResponse;
  private final boolean epoll;
  private final EventLoopGroup group;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger open = new AtomicInteger();
  // Requests whose head has arrived and whose answer has not been written yet.
  private final LongAdder inFlight = new LongAdder();
  private final byte[] rejection;
  private volatile boolean draining;
  private Channel listener;

  HttpTransport(Settings settings, Routes routes, AppMetrics metrics) {
    this.settings = settings;
    this.routes = routes;
    this.metrics = metrics;
    this.versionHeader = ascii("x-app-version: " + settings.appVersion() + "\r\n");
    this.continueResponse =
        ascii("HTTP/1.1 100 Continue\r\nx-app-version: " + settings.appVersion() + "\r\n\r\n");
    // epoll saves a selector wake-up and garbage per read; NIO when the native library cannot load
    // (another CPU, or a read-only /tmp to unpack it into).
    this.epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            settings.httpThreads(),
            new DefaultThreadFactory("http", false),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.rejection = rejection(settings);
  }

  /**
   * Loads and initialises the transport's classes (and the epoll native library) ahead of use:
   * called on a second thread while the main thread loads the model, it takes Netty's share of
   * start-up off the critical path.
   */
  static void preload() {
    Epoll.isAvailable();
    new HttpDecoderConfig();
    new HttpRequestDecoder(new HttpDecoderConfig()).isSharable();
    new ServerBootstrap().config();
    DefaultHttpHeadersFactory.headersFactory().newHeaders();
    statusLine(200);
    date();
  }

  String transportName() {
    return epoll ? "epoll" : "nio";
  }

  /** Binds and starts accepting; returns the port. */
  int start() throws IOException {
    HttpDecoderConfig decoder =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_REQUEST_LINE)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setMaxChunkSize(64 * 1024);
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
            // A client that half-closes mid-request still gets its 400 (see userEventTriggered).
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            // Tracks every accepted connection at once, before its registration on an event
            // loop: one accepted as the listener closes must be closed too, not leaked.
            .handler(
                new ChannelInboundHandlerAdapter() {
                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    if (msg instanceof Channel child) {
                      channels.add(child);
                    }
                    ctx.fireChannelRead(msg);
                  }
                })
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.closeFuture().addListener(f -> open.decrementAndGet());
                    if (open.incrementAndGet() > settings.maxConnections()) {
                      ch.pipeline().addLast(new Reject());
                      return;
                    }
                    Exchange exchange = new Exchange(new Decoder(decoder));
                    ch.pipeline()
                        .addLast("arrivals", exchange.arrivals)
                        .addLast("decoder", exchange.decoder)
                        .addLast("exchange", exchange);
                  }
                });
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

  long requestsInFlight() {
    return inFlight.sum();
  }

  int openConnections() {
    return open.get();
  }

  /** From now on every response says Connection: close, so clients move to other pods. */
  void beginDrain() {
    draining = true;
  }

  /** Closes the listener, then every connection waiting between two requests. */
  void stopAccepting() {
    if (listener != null) {
      listener.close().syncUninterruptibly();
    }
    for (Channel ch : channels) {
      // Only an initialised connection has an exchange, and only a registered one a loop.
      Exchange exchange = ch.pipeline().get(Exchange.class);
      if (exchange != null && ch.isRegistered()) {
        ch.eventLoop().execute(exchange::closeIfIdle);
      }
    }
  }

  /** Waits until every connection has closed; true when they all did in time. */
  boolean awaitConnectionsClosed(Duration timeout) {
    return channels.newCloseFuture().awaitUninterruptibly(timeout.toMillis());
  }

  /** Closes whatever is left and stops the event loops. */
  void close() {
    if (listener != null) {
      listener.close();
    }
    channels.close().awaitUninterruptibly(1000);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2000);
  }

  private byte[] rejection(Settings s) {
    // By hand: the first Reply.json would build Jackson's mapper on the start-up path.
    byte[] body =
        ("{\"error\":\"too many connections (at most " + s.maxConnections() + ")\"}")
            .getBytes(StandardCharsets.US_ASCII);
    String head =
        "HTTP/1.1 503 Service Unavailable\r\n"
            + "content-type: application/json\r\n"
            + "content-length: "
            + body.length
            + "\r\n"
            + "x-app-version: "
            + s.appVersion()
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

  /** Lets the exchange tell a half-received pipelined request from an idle connection. */
  static final class Decoder extends HttpRequestDecoder {
    Decoder(HttpDecoderConfig config) {
      super(config);
    }

    boolean hasBufferedBytes() {
      return internalBuffer().isReadable();
    }
  }

  /**
   * One connection's state: the request being received, its deadline and the response. Runs on the
   * connection's event loop only, so it needs no locking.
   */
  private final class Exchange extends ChannelInboundHandlerAdapter {
    final Decoder decoder;

    /** Sees raw bytes before the decoder: the first byte of a request starts its deadline. */
    final ChannelInboundHandlerAdapter arrivals =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!receiving && !closing) {
              receiving = true;
              arm(settings.requestTimeout());
            }
            ctx.fireChannelRead(msg);
          }
        };

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long deadline = Long.MAX_VALUE;
    private final long tick =
        Math.min(settings.requestTimeout().toNanos(), settings.idleTimeout().toNanos());
    private boolean receiving;
    private boolean answeredOne;
    private boolean closing;
    private boolean needsFlush;

    private HttpRequest request;
    private Route route = Route.UNMATCHED;
    private String path;
    private long startNanos;
    private boolean keepAlive;
    private boolean head;
    private byte[] body;
    private int length;
    private long discarded;
    private Reply pending;

    Exchange(Decoder decoder) {
      this.decoder = decoder;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      arm(settings.idleTimeout());
      ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancelTimer();
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      closing = true;
      if (request != null) {
        inFlight.decrement();
      }
      request = null;
      body = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (closing) {
          return;
        }
        if (msg instanceof HttpRequest r) {
          onHead(r);
        }
        if (msg instanceof HttpContent c && request != null) {
          onContent(c);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      if (needsFlush) {
        needsFlush = false;
        ctx.flush();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // A client that sends requests but never reads the answers must not fill our memory.
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof IOException) {
        LOG.debug("connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
      } else {
        LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
      }
      closing = true;
      ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        // The decoder has already reported what it could of the bytes that came before the FIN.
        if (closing || (!receiving && request == null)) {
          closing = true;
          // An answer written in this read batch may not be flushed yet.
          needsFlush = false;
          ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
          if (request == null) {
            startNanos = System.nanoTime();
          }
          fail(
              Reply.error(400, "the client closed its side before the request was complete", null));
        }
        return;
      }
      ctx.fireUserEventTriggered(event);
    }

    /**
     * Closes a connection between two requests. One that has not answered any yet stays open until
     * the grace period ends: its client has just connected (through a Service whose endpoints may
     * lag behind the pod's shutdown) and is about to send, so its request is served, with
     * Connection: close, rather than lost.
     */
    void closeIfIdle() {
      if (!receiving && request == null && answeredOne) {
        closing = true;
        ctx.close();
      }
    }

    private void onHead(HttpRequest r) {
      startNanos = System.nanoTime();
      if (request == null) {
        inFlight.increment();
      }
      request = r;
      route = Route.UNMATCHED;
      path = null;
      body = EMPTY;
      length = 0;
      discarded = 0;
      pending = null;
      head = HttpMethod.HEAD.equals(r.method());
      keepAlive = HttpUtil.isKeepAlive(r);
      if (r.decoderResult().isFailure()) {
        fail(protocolError(r.decoderResult().cause()));
        return;
      }
      try {
        path = requestPath(r.uri());
        route = routes.match(path);
        checkHeaders(r);
        long declared = HttpUtil.getContentLength(r, -1L);
        if (declared > Routes.MAX_BODY_BYTES) {
          pending = tooLarge();
        } else if (declared > 0) {
          body = new byte[(int) declared];
        } else if (HttpUtil.isTransferEncodingChunked(r)) {
          body = new byte[1024];
        }
        expectContinue(r);
      } catch (ApiException e) {
        fail(Reply.error(e));
      }
    }

    private void expectContinue(HttpRequest r) {
      String expect = r.headers().get(HttpHeaderNames.EXPECT);
      if (expect == null) {
        return;
      }
      if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())
          || r.protocolVersion() != HttpVersion.HTTP_1_1) {
        throw new ApiException(417, "Expect: " + expect + " is not supported", null);
      }
      if (pending != null) {
        // The client has not sent the body yet: answer now and spare it the upload.
        throw new ApiException(413, tooLargeMessage(), null);
      }
      ctx.writeAndFlush(Unpooled.wrappedBuffer(continueResponse));
    }

    private void onContent(HttpContent c) {
      if (c.decoderResult().isFailure()) {
        fail(protocolError(c.decoderResult().cause()));
        return;
      }
      ByteBuf buf = c.content();
      int n = buf.readableBytes();
      if (pending != null) {
        discarded += n;
        if (discarded > MAX_DRAIN_BYTES) {
          fail(pending);
          return;
        }
      } else if ((long) length + n > Routes.MAX_BODY_BYTES) {
        pending = tooLarge();
        discarded = (long) length + n;
        body = EMPTY;
      } else if (n > 0) {
        if (length + n > body.length) {
          byte[] grown =
              new byte[Math.min(Routes.MAX_BODY_BYTES, Math.max(length + n, 2 * body.length))];
          System.arraycopy(body, 0, grown, 0, length);
          body = grown;
        }
        buf.getBytes(buf.readerIndex(), body, length, n);
        length += n;
      }
      if (c instanceof LastHttpContent) {
        cancelTimer();
        Reply reply =
            pending != null
                ? pending
                : routes.handle(route, new Request(request.method().name(), path, body, length));
        respond(reply, keepAlive && !draining);
      }
    }

    /** Answers and closes: after a framing error the rest of the stream cannot be trusted. */
    private void fail(Reply reply) {
      respond(reply, false);
    }

    private void respond(Reply reply, boolean keep) {
      if (closing) {
        return;
      }
      cancelTimer();
      boolean http10KeepAlive =
          keep && request != null && request.protocolVersion() == HttpVersion.HTTP_1_0;
      ByteBuf res = encode(ctx.alloc(), reply, keep, head, http10KeepAlive);
      answeredOne = true;
      metrics.recordRequest(route, reply.status(), System.nanoTime() - startNanos);
      if (request != null) {
        inFlight.decrement();
      }
      request = null;
      body = null;
      head = false;
      if (!keep) {
        closing = true;
        receiving = false;
        ctx.writeAndFlush(res).addListener(this::linger);
        return;
      }
      ctx.write(res);
      needsFlush = true;
      // Pipelined bytes already buffered belong to a request that has begun arriving.
      receiving = decoder.hasBufferedBytes();
      arm(receiving ? settings.requestTimeout() : settings.idleTimeout());
      if (!ctx.channel().isWritable()) {
        ctx.flush();
        needsFlush = false;
        ctx.channel().config().setAutoRead(false);
      }
    }

    /**
     * Closing a socket with unread input makes the kernel send a reset, and the client may lose the
     * response before reading it; like nginx's lingering close, send FIN first and discard what
     * still arrives until the client closes or a moment has passed.
     */
    private void linger(io.netty.util.concurrent.Future<? super Void> written) {
      if (!written.isSuccess()
          || !(ctx.channel() instanceof SocketChannel socket)
          || socket.isInputShutdown()) {
        ctx.close();
        return;
      }
      socket
          .shutdownOutput()
          .addListener(
              f ->
                  ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS));
    }

    /**
     * Sets the deadline. Scheduling and cancelling a task per request costs a tenth of the CPU at
     * high rates, so one task per connection checks the deadline instead and, while it lies ahead,
     * re-arms itself at most {@link #tick} later: a deadline moved earlier is still met on time.
     */
    private void arm(Duration after) {
      deadline = System.nanoTime() + after.toNanos();
      if (timer == null) {
        timer =
            ctx.executor()
                .schedule(this::check, Math.min(after.toNanos(), tick), TimeUnit.NANOSECONDS);
      }
    }

    private void cancelTimer() {
      deadline = Long.MAX_VALUE;
    }

    private void check() {
      timer = null;
      if (closing || deadline == Long.MAX_VALUE) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        timer = ctx.executor().schedule(this::check, Math.min(left, tick), TimeUnit.NANOSECONDS);
        return;
      }
      timedOut();
    }

    private void timedOut() {
      if (!receiving && request == null) {
        // Idle keep-alive connection: nothing to answer.
        closing = true;
        ctx.close();
        return;
      }
      if (request == null) {
        startNanos = System.nanoTime();
      }
      fail(
          pending != null
              ? pending
              : Reply.error(
                  408,
                  "request not received in full within "
                      + settings.requestTimeout().toSeconds()
                      + " s",
                  null));
    }
  }

  private static Reply tooLarge() {
    return Reply.error(413, tooLargeMessage(), null);
  }

  private static String tooLargeMessage() {
    return "request body is larger than " + Routes.MAX_BODY_BYTES + " bytes";
  }

  /**
   * The response as bytes, head and body in one buffer: what an encoder and a headers map would
   * produce, without building either for every response.
   */
  private ByteBuf encode(
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
  private static byte[] statusLine(int code) {
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
  private static byte[] date() {
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

  /** Maps a decoder failure to its status: 414 and 431 for limits, 400 for anything malformed. */
  static Reply protocolError(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return Reply.error(
          414,
          "request line (method, URI, version) is longer than " + MAX_REQUEST_LINE + " bytes",
          null);
    }
    if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
      return Reply.error(
          431, "request headers are larger than " + MAX_HEADER_BYTES + " bytes", null);
    }
    String message = cause == null ? null : cause.getMessage();
    if (message == null || message.isBlank()) {
      message = cause == null ? "unknown error" : cause.getClass().getSimpleName();
    }
    if (message.length() > 200) {
      message = message.substring(0, 200) + "...";
    }
    return Reply.error(400, "malformed HTTP request: " + message, null);
  }

  private static void checkHeaders(HttpRequest r) {
    HttpHeaders headers = r.headers();
    if (headers.size() > MAX_HEADER_COUNT) {
      throw new ApiException(
          431,
          "too many request headers: " + headers.size() + " (at most " + MAX_HEADER_COUNT + ")",
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
