package dev.inferops.operator.analysis;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body as bytes that fails once it grows past a limit: a pod that answers {@code
 * /metrics} with an endless stream costs the operator a failed read, not its heap. (The JDK only
 * gained such a subscriber in version 23.)
 */
final class BoundedBody implements BodySubscriber<byte[]> {

  private final BodySubscriber<byte[]> bytes = BodySubscribers.ofByteArray();
  private final long limit;
  private long received;
  private boolean overflowed;
  private Flow.Subscription subscription;

  BoundedBody(long limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return bytes.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    bytes.onSubscribe(subscription);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (overflowed) {
      return;
    }
    for (ByteBuffer item : items) {
      received += item.remaining();
    }
    if (received > limit) {
      overflowed = true;
      subscription.cancel();
      bytes.onError(new IOException("/metrics is larger than " + (limit >> 20) + " MiB"));
      return;
    }
    bytes.onNext(items);
  }

  @Override
  public void onError(Throwable failure) {
    if (!overflowed) {
      bytes.onError(failure);
    }
  }

  @Override
  public void onComplete() {
    if (!overflowed) {
      bytes.onComplete();
    }
  }
}
