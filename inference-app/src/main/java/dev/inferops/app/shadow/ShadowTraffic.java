package dev.inferops.app.shadow;

import dev.inferops.app.metrics.ShadowMetrics;
import dev.inferops.app.routing.Reply;
import dev.inferops.app.routing.Request;
import dev.inferops.app.routing.Routes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a sample of the answered prediction requests to a shadow target (the preview of a
 * blue-green rollout) and compares its answers with the ones the clients got, for the operator to
 * read in /metrics. The target and the rate come from a settings file read every {@link #POLL}, so
 * the shadow starts and stops without restarting the live pods. The clients never wait for it: a
 * copy is put in a bounded queue or dropped, and background threads send it.
 */
public final class ShadowTraffic implements Routes.Tap, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShadowTraffic.class);

  static final Duration POLL = Duration.ofSeconds(2);
  // Connect and answer each; a slow preview costs copies, never the clients' latency.
  static final Duration TARGET_TIMEOUT = Duration.ofSeconds(2);
  static final int WORKERS = 2;
  // Disagreements can come by the thousand; one line a minute shows what they look like.
  static final Duration LOG_EVERY = Duration.ofMinutes(1);

  /** One copy to send: where, what, and the answer the client got. */
  private record Copy(URI uri, String path, byte[] body, byte[] live, double tolerance) {}

  private final Path file;
  private final ShadowMetrics metrics;
  private final ArrayBlockingQueue<Copy> queue;
  private final Sampler sampler = new Sampler();
  private final AtomicInteger mostQueued = new AtomicInteger();
  // Replaced with each new setting: see poll().
  private volatile HttpClient client = newClient();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "shadow-config");
            t.setDaemon(true);
            return t;
          });
  private final List<Thread> workers = new ArrayList<>();
  private volatile ShadowConfigFile.Reading reading = ShadowConfigFile.Reading.OFF;
  private volatile String lastDisagreement;
  private long nextLogNanos = System.nanoTime();

  private ShadowTraffic(Path file, int capacity, ShadowMetrics metrics) {
    this.file = file;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Reads the file once (so a shadow configured before start is on at once), then polls it. */
  public static ShadowTraffic start(Path file, int capacity, ShadowMetrics metrics) {
    ShadowTraffic shadow = new ShadowTraffic(file, capacity, metrics);
    shadow.poll();
    shadow.poller.scheduleWithFixedDelay(
        shadow::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    for (int i = 0; i < WORKERS; i++) {
      Thread t = new Thread(shadow::work, "shadow-" + i);
      t.setDaemon(true);
      t.start();
      shadow.workers.add(t);
    }
    return shadow;
  }

  /** Called on the event loop after the client's answer is written: never blocks. */
  @Override
  public void answered(Request request, Reply reply) {
    ShadowConfig config = reading.config();
    if (config == null || !sampler.next(config.sampleRate())) {
      return;
    }
    Copy copy =
        new Copy(
            config.copyUri(request.path()),
            request.path(),
            Arrays.copyOf(request.body(), request.length()),
            reply.body(),
            config.probabilityTolerance());
    if (queue.offer(copy)) {
      mostQueued.accumulateAndGet(queue.size(), Math::max);
    } else {
      metrics.dropped();
    }
  }

  /** The longest the queue has been; for tests. */
  public int mostQueued() {
    return mostQueued.get();
  }

  /** The last disagreement seen, as logged; null before the first. For tests and debugging. */
  public String lastDisagreement() {
    return lastDisagreement;
  }

  private void poll() {
    try {
      ShadowConfigFile.Reading next = ShadowConfigFile.read(file);
      ShadowConfigFile.Reading previous = reading;
      if (next.equals(previous)) {
        return;
      }
      reading = next;
      // A new setting is a new preview, though maybe at the same ClusterIP: connections kept alive
      // there still reach the pods they first reached, which may be the previous preview's, still
      // serving while they drain. A new client has none (this JDK's client cannot close them).
      client = newClient();
      metrics.state(next.config() != null, next.problem() == null);
      logChange(previous, next);
    } catch (RuntimeException e) {
      // The schedule stops at the first exception; a bug here must not freeze the shadow's state.
      LOG.error("reading the shadow settings file {} failed", file, e);
    }
  }

  private static HttpClient newClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TARGET_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER)
        .proxy(HttpClient.Builder.NO_PROXY)
        .build();
  }

  private void logChange(ShadowConfigFile.Reading previous, ShadowConfigFile.Reading next) {
    ShadowConfig config = next.config();
    if (next.problem() != null) {
      LOG.warn("shadow settings file {} is invalid, shadow off: {}", file, next.problem());
    } else if (config == null) {
      LOG.info("shadow traffic off: {} is missing or empty", file);
    } else {
      LOG.info(
          "shadow traffic {}: copying {} of prediction requests to {} (probability tolerance {})",
          previous.config() == null ? "on" : "changed",
          config.sampleRate(),
          config.target(),
          config.probabilityTolerance());
    }
  }

  private void work() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        send(queue.take());
      }
    } catch (InterruptedException e) {
      // Closed: the copies still queued are dropped with the process.
    }
  }

  private void send(Copy copy) throws InterruptedException {
    metrics.copied();
    long start = System.nanoTime();
    HttpResponse<byte[]> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(copy.uri())
              .timeout(TARGET_TIMEOUT)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(copy.body()))
              .build();
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | RuntimeException e) {
      metrics.failed();
      LOG.debug("shadow copy to {} failed: {}", copy.uri(), e.toString());
      return;
    }
    metrics.targetAnswered(System.nanoTime() - start);
    if (response.statusCode() != 200) {
      metrics.failed();
      return;
    }
    AnswerComparison.Verdict verdict =
        AnswerComparison.compare(copy.live(), response.body(), copy.tolerance());
    if (verdict.agree()) {
      metrics.agreed();
    } else {
      metrics.disagreed();
      disagreement(copy.path() + ": " + verdict.difference());
    }
  }

  private void disagreement(String what) {
    lastDisagreement = what;
    boolean log;
    synchronized (this) {
      long now = System.nanoTime();
      log = now - nextLogNanos >= 0;
      if (log) {
        nextLogNanos = now + LOG_EVERY.toNanos();
      }
    }
    if (log) {
      LOG.info("shadow answer differs (at most one such line a minute) on {}", what);
    }
  }

  /** Stops polling and sending; what is still queued is dropped. Never waits for the target. */
  @Override
  public void close() {
    poller.shutdownNow();
    workers.forEach(Thread::interrupt);
    queue.clear();
  }
}
