package dev.inferops.operator.e2e;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A bounded request loop from the host against a Service (through kube-proxy), recording every
 * answer: whether it failed, which app version answered and how long it took. It stops by itself
 * after {@code maxRequests} or {@code maxDuration}, whichever comes first.
 */
public final class Traffic implements AutoCloseable {

  /** One prediction from the bundled example patient, as in the README. */
  public static final String PATIENT =
      "{\"age\":63,\"sex\":1,\"cp\":3,\"trestbps\":145,\"chol\":233,\"fbs\":1,\"restecg\":0,"
          + "\"thalach\":150,\"exang\":0,\"oldpeak\":2.3,\"slope\":0,\"ca\":0,\"thal\":1}";

  /** What one request got: an HTTP status (0 when it failed to connect or timed out). */
  public record Answer(long startNanos, long nanos, int status, String version, String body) {
    boolean failed() {
      return status != 200;
    }

    /** The loop keeps bodies of failures only: hundreds of thousands of answers add up. */
    Answer forTheRecord() {
      return failed() ? this : new Answer(startNanos, nanos, status, version, null);
    }
  }

  /** One client for every loop and probe: each JDK client owns a selector thread until GC. */
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI uri;
  private final List<String> bodies;
  private final boolean freshConnections;
  private final int maxRequests;
  private final Duration pace;
  private final Duration maxDuration;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<Answer> answers = new ArrayList<>();
  private final Thread thread;
  private volatile String endedByItsBound;

  private Traffic(
      URI uri,
      List<String> bodies,
      boolean freshConnections,
      int maxRequests,
      Duration maxDuration,
      Duration pace) {
    this.uri = uri;
    this.pace = pace;
    this.bodies = List.copyOf(bodies);
    this.freshConnections = freshConnections;
    this.maxRequests = maxRequests;
    this.maxDuration = maxDuration;
    this.thread = new Thread(this::run, "traffic-" + uri.getHost());
  }

  /**
   * Starts sending predictions to http://HOST:PORT/predict, one at a time, keep-alive; with {@code
   * freshConnections} every request asks the server to close its connection, so each one is a new
   * connection that kube-proxy routes by the Service's current endpoints, like many short-lived
   * clients. (Needs the JVM property jdk.httpclient.allowRestrictedHeaders=connection, which the
   * E2E tier sets.)
   */
  public static Traffic start(
      String host, int port, boolean freshConnections, int maxRequests, Duration maxDuration) {
    return start(
        host,
        port,
        "/predict",
        List.of(PATIENT),
        freshConnections,
        maxRequests,
        maxDuration,
        Duration.ZERO);
  }

  /**
   * As {@link #start(String, int, boolean, int, Duration)}, sending {@code bodies} in turn, one
   * request every {@code pace} at most: a steady load rather than as many as the machine takes.
   */
  public static Traffic start(
      String host,
      int port,
      String path,
      List<String> bodies,
      boolean freshConnections,
      int maxRequests,
      Duration maxDuration,
      Duration pace) {
    Traffic t =
        new Traffic(
            URI.create("http://" + host + ":" + port + path),
            bodies,
            freshConnections,
            maxRequests,
            maxDuration,
            pace);
    t.thread.start();
    return t;
  }

  /**
   * One request on a new connection (routed by the Service's current endpoints), on this thread.
   */
  public static Answer once(String host, int port, String path, String body) {
    Traffic t =
        new Traffic(
            URI.create("http://" + host + ":" + port + path),
            // The one body (null for a GET) is sent below, not from the list.
            List.of(),
            true,
            1,
            Duration.ZERO,
            Duration.ZERO);
    return t.send(body);
  }

  private void run() {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    int i = 0;
    long next = System.nanoTime();
    for (; i < maxRequests && !stop.get() && System.nanoTime() < deadline; i++) {
      next += pace.toNanos();
      // Pacing, not waiting for a state: the loop keeps its rate whatever the answers do.
      LockSupport.parkNanos(next - System.nanoTime());
      Answer a = send(bodies.get(i % bodies.size())).forTheRecord();
      synchronized (answers) {
        answers.add(a);
      }
    }
    if (!stop.get()) {
      endedByItsBound =
          i >= maxRequests ? maxRequests + " requests" : "its lifetime of " + maxDuration;
    }
  }

  private Answer send(String body) {
    long start = System.nanoTime();
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2));
      if (freshConnections) {
        request.header("Connection", "close");
      }
      request =
          body == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(body));
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(
          start,
          System.nanoTime() - start,
          response.statusCode(),
          response.headers().firstValue("X-App-Version").orElse("?"),
          response.body());
    } catch (java.io.IOException e) {
      return new Answer(start, System.nanoTime() - start, 0, "-", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(start, System.nanoTime() - start, 0, "-", "interrupted");
    }
  }

  /**
   * Waits, at most {@code within}, until {@code count} more requests have been answered; fails at
   * once, saying so, when the loop already ended by its bound: the test outlived its traffic and
   * would otherwise judge only part of what it watched.
   */
  public void awaitMoreAnswers(int count, Duration within) {
    int now = answers().size();
    await()
        .atMost(within)
        .until(
            () -> {
              if (endedByItsBound != null) {
                throw new IllegalStateException(
                    "the traffic loop ended by its bound ("
                        + endedByItsBound
                        + ") before the test was done; give it a longer one");
              }
              return answers().size() >= now + count;
            });
  }

  /**
   * Lets 20 more requests through (at most {@code within}), so the new state is seen serving, then
   * stops the loop and records its summary under {@code title} in the run's figures.
   */
  public void finish(String title, Duration within) {
    awaitMoreAnswers(20, within);
    close();
    Figures.record(summary(title));
  }

  /** Stops the loop and waits for the request in flight. */
  @Override
  public void close() {
    stop.set(true);
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public List<Answer> answers() {
    synchronized (answers) {
      return List.copyOf(answers);
    }
  }

  public long failed() {
    return answers().stream().filter(Answer::failed).count();
  }

  /** The versions that answered, in the order they were first seen, with their answer counts. */
  public Map<String, Long> versions() {
    Map<String, Long> counts = new LinkedHashMap<>();
    answers().forEach(a -> counts.merge(a.version(), 1L, Long::sum));
    return counts;
  }

  /** The 99th percentile latency in milliseconds. */
  public double p99Millis() {
    return p99Millis(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** The p99 latency of the requests started in [from, to) (System.nanoTime), in ms. */
  public double p99Millis(long from, long to) {
    long[] sorted =
        answers().stream()
            .filter(a -> a.startNanos() >= from && a.startNanos() < to)
            .mapToLong(Answer::nanos)
            .sorted()
            .toArray();
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
  }

  /**
   * The versions that answered, one entry per run of answers from the same version: [0.1.0, 0.2.0]
   * means the answers moved once and never went back and forth.
   */
  public List<String> versionRuns() {
    List<String> runs = new ArrayList<>();
    for (Answer a : answers()) {
      if (!a.failed() && (runs.isEmpty() || !runs.get(runs.size() - 1).equals(a.version()))) {
        runs.add(a.version());
      }
    }
    return runs;
  }

  /** A one-line summary for the test log and docs/benchmarks.md. */
  public String summary(String label) {
    List<Answer> all = answers();
    // When each failed, by the clock: to hold against the rollout's events and the node's logs.
    Instant now = Instant.now();
    long nowNanos = System.nanoTime();
    String firstFailures =
        all.stream()
            .filter(Answer::failed)
            .limit(3)
            .map(a -> "at " + now.minusNanos(nowNanos - a.startNanos()) + " " + a.body())
            .toList()
            .toString();
    return String.format(
        "%s: %d requests, %d failed, p99 %.1f ms, versions %s%s",
        label,
        all.size(),
        failed(),
        p99Millis(),
        versions(),
        failed() > 0 ? " " + firstFailures : "");
  }
}
