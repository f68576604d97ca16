package dev.inferops.app.http;

import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Request;
import dev.inferops.app.routing.Route;
import dev.inferops.app.routing.Routes;
import dev.inferops.app.settings.Settings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests and responses, in order: the request being received, its deadline, and
 * the answer. Runs on the connection's event loop only, so it needs no locking.
 */
final class Exchange extends ChannelInboundHandlerAdapter {
  // The binary tensor data extension of KServe's and Triton's clients: the JSON part's length.
  private static final String INFERENCE_HEADER_LENGTH = "Inference-Header-Content-Length";

  // Connection log lines keep the transport's logger name, which log filters already match.
  private static final Logger LOG =
      LoggerFactory.getLogger(Exchange.class.getPackageName() + ".HttpTransport");

  private final Settings settings;
  private final Routes routes;
  private final AppMetrics metrics;
  private final Drain drain;
  private final ResponseEncoder encoder;
  private final RequestDecoder decoder;
  private final RequestBody body = new RequestBody();
  // FAULT_INJECTION_DELAY_MILLIS in nanoseconds; 0 when off.
  private final long faultDelayNanos;
  // What arrived behind a reply held back by that delay, answered in order once it is out.
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private ScheduledFuture<?> delayed;

  private ChannelHandlerContext ctx;
  private Deadline deadline;
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

  Exchange(
      Settings settings,
      Routes routes,
      AppMetrics metrics,
      Drain drain,
      ResponseEncoder encoder,
      RequestDecoder decoder) {
    this.settings = settings;
    this.routes = routes;
    this.metrics = metrics;
    this.drain = drain;
    this.encoder = encoder;
    this.decoder = decoder;
    this.faultDelayNanos = settings.faultDelay().toNanos();
  }

  /**
   * Goes before the decoder, where it sees raw bytes: a request's first byte starts its deadline.
   */
  ChannelInboundHandlerAdapter arrivals() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!receiving && !closing) {
          receiving = true;
          deadline.arm(settings.requestTimeout());
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.deadline =
        new Deadline(
            ctx.executor(),
            settings.requestTimeout().compareTo(settings.idleTimeout()) < 0
                ? settings.requestTimeout()
                : settings.idleTimeout(),
            () -> closing,
            this::timedOut);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    deadline.arm(settings.idleTimeout());
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    deadline.stop();
    closing = true;
    if (delayed != null) {
      // The client left (or the shutdown closed it) while its reply was held back.
      delayed.cancel(false);
      delayed = null;
    }
    releaseHeld();
    if (request != null) {
      drain.requestEnded();
    }
    request = null;
    body.release();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (delayed != null && !closing) {
      // Pipelined behind a delayed reply: kept, as it is, until that reply is out.
      held.add(msg);
      return;
    }
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
    ctx.channel().config().setAutoRead(ctx.channel().isWritable() && delayed == null);
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
    if (event == Drain.CloseIfIdle.EVENT) {
      closeIfIdle();
      return;
    }
    if (event instanceof ChannelInputShutdownEvent && delayed != null && !closing) {
      // The client's FIN came after a whole request: it is handled after that request's answer.
      held.add(event);
      return;
    }
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
        fail(ProtocolErrors.halfClosed());
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  /**
   * Closes a connection between two requests. One that has not answered any yet stays open until
   * the grace period ends: its client has just connected (through a Service whose endpoints may lag
   * behind the pod's shutdown) and is about to send, so its request is served, with Connection:
   * close, rather than lost.
   */
  private void closeIfIdle() {
    if (!receiving && request == null && answeredOne) {
      closing = true;
      ctx.close();
    }
  }

  private void onHead(HttpRequest r) {
    startNanos = System.nanoTime();
    if (request == null) {
      drain.requestStarted();
    }
    request = r;
    route = Route.UNMATCHED;
    path = null;
    body.reset();
    head = HttpMethod.HEAD.equals(r.method());
    keepAlive = HttpUtil.isKeepAlive(r);
    if (r.decoderResult().isFailure()) {
      fail(ProtocolErrors.decoderFailure(r.decoderResult().cause()));
      return;
    }
    try {
      path = RequestChecks.requestPath(r.uri());
      route = routes.match(path);
      RequestChecks.checkHeaders(r);
      body.expect(HttpUtil.getContentLength(r, -1L), HttpUtil.isTransferEncodingChunked(r));
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
      throw ProtocolErrors.expectationFailed(expect);
    }
    if (body.tooLarge()) {
      // The client has not sent the body yet: answer now and spare it the upload.
      throw new ApiException(413, ProtocolErrors.tooLargeMessage(), null);
    }
    ctx.writeAndFlush(encoder.continueResponse());
  }

  private void onContent(HttpContent c) {
    if (c.decoderResult().isFailure()) {
      fail(ProtocolErrors.decoderFailure(c.decoderResult().cause()));
      return;
    }
    if (!body.append(c.content())) {
      fail(ProtocolErrors.tooLarge());
      return;
    }
    if (c instanceof LastHttpContent) {
      deadline.cancel();
      Request handled =
          body.tooLarge()
              ? null
              : new Request(
                  request.method().name(),
                  path,
                  body.bytes(),
                  body.length(),
                  request.headers().get(INFERENCE_HEADER_LENGTH));
      Reply reply = handled == null ? ProtocolErrors.tooLarge() : routes.handle(route, handled);
      Route answeredRoute = route;
      if (faultDelayNanos > 0 && route.predicts(request.method().name())) {
        respondLater(reply, () -> afterAnswer(answeredRoute, handled, reply));
      } else {
        respond(reply, keepAlive && !drain.draining());
        afterAnswer(answeredRoute, handled, reply);
      }
    }
  }

  /**
   * FAULT_INJECTION_DELAY_MILLIS: answers after the delay, which the recorded duration includes.
   * The event loop is never blocked: the reply is scheduled on it, and meanwhile this connection
   * reads nothing more, so pipelined requests keep their order. The request stays in flight, so a
   * shutdown waits for it as for any other (and closes the connection if the grace period ends
   * first); whether the connection stays open is decided when the reply goes out, so a reply
   * delayed into the drain says Connection: close.
   */
  private void respondLater(Reply reply, Runnable then) {
    ctx.channel().config().setAutoRead(false);
    delayed =
        ctx.executor()
            .schedule(
                () -> {
                  delayed = null;
                  respond(reply, keepAlive && !drain.draining());
                  then.run();
                  answerHeld();
                },
                faultDelayNanos,
                TimeUnit.NANOSECONDS);
  }

  /**
   * What follows an answer once it is written, such as the shadow's copy; never the client's wait.
   */
  private void afterAnswer(Route answered, Request handled, Reply reply) {
    if (handled != null) {
      routes.answered(answered, handled, reply);
    }
  }

  /** After a delayed reply: what arrived meanwhile, in order, until another reply is delayed. */
  private void answerHeld() {
    while (delayed == null && !held.isEmpty()) {
      Object next = held.poll();
      if (next instanceof ChannelInputShutdownEvent) {
        userEventTriggered(ctx, next);
      } else {
        channelRead(ctx, next);
      }
    }
    // Outside a read, nothing else flushes.
    if (needsFlush) {
      needsFlush = false;
      ctx.flush();
    }
    if (delayed == null) {
      ctx.channel().config().setAutoRead(ctx.channel().isWritable());
    }
  }

  private void releaseHeld() {
    Object next;
    while ((next = held.poll()) != null) {
      ReferenceCountUtil.release(next);
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
    deadline.cancel();
    boolean http10KeepAlive =
        keep && request != null && request.protocolVersion() == HttpVersion.HTTP_1_0;
    ByteBuf res = encoder.encode(ctx.alloc(), reply, keep, head, http10KeepAlive);
    answeredOne = true;
    metrics.recordRequest(route, reply.status(), System.nanoTime() - startNanos);
    if (request != null) {
      drain.requestEnded();
    }
    request = null;
    body.release();
    head = false;
    if (!keep) {
      closing = true;
      receiving = false;
      ctx.writeAndFlush(res).addListener(written -> LingeringClose.after(ctx, written));
      return;
    }
    ctx.write(res);
    needsFlush = true;
    // Pipelined bytes already buffered or held belong to a request that has begun arriving.
    // (A held FIN comes last and is no request.)
    receiving =
        decoder.hasBufferedBytes()
            || (!held.isEmpty() && !(held.peek() instanceof ChannelInputShutdownEvent));
    deadline.arm(receiving ? settings.requestTimeout() : settings.idleTimeout());
    if (!ctx.channel().isWritable()) {
      ctx.flush();
      needsFlush = false;
      ctx.channel().config().setAutoRead(false);
    }
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
        body.tooLarge()
            ? ProtocolErrors.tooLarge()
            : ProtocolErrors.timedOut(settings.requestTimeout()));
  }
}
