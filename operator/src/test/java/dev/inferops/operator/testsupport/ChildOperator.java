package dev.inferops.operator.testsupport;

import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperatorMain;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InferenceOperatorMain} in a child JVM, configured through the environment as the chart
 * configures a pod, so a test can kill it as the kernel would (SIGKILL: no shutdown hook, no lease
 * released). Started through {@link OperatorExtension#startChildOperator}, which kills it when the
 * namespace goes.
 */
public final class ChildOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ChildOperator.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String RECONCILIATIONS = "operator_sdk_reconciliations_started_total";

  /** The line the operator logs once its endpoints listen (InferenceOperator.start). */
  private static final Pattern ENDPOINTS =
      Pattern.compile("Health and metrics endpoints on \\S+:(\\d+)");

  private final String identity;
  private final Path logFile;
  private final long logOffset;
  private final Process process;
  private volatile int port;

  private ChildOperator(String identity, Path logFile, long logOffset, Process process) {
    this.identity = identity;
    this.logFile = logFile;
    this.logOffset = logOffset;
    this.process = process;
  }

  static ChildOperator start(String namespace, String identity, Map<String, String> extraEnv) {
    try {
      Path logFile =
          Repository.root()
              .resolve("operator/target/it-logs")
              .resolve(namespace + "-" + identity + ".log");
      Files.createDirectories(logFile.getParent());
      long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  InferenceOperatorMain.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      Map<String, String> env = builder.environment();
      env.put("WATCH_NAMESPACES", namespace);
      env.put("POD_NAME", identity);
      env.put("POD_NAMESPACE", namespace);
      env.put("OPERATOR_BIND_ADDRESS", "127.0.0.1");
      // The child binds a free port itself and logs it: a port picked here and closed again
      // could be taken by another process before the child binds it.
      env.put("OPERATOR_HTTP_PORT", "0");
      env.put("LOG_LEVEL", "info");
      // Simulated pods have fake IPs: nothing may be sent to them, directly or by the API server.
      env.put("SMOKE_TEST_REQUESTS", "never");
      env.put("CANARY_METRICS_READS", "never");
      env.putAll(extraEnv);
      Process process = builder.start();
      log.info("started {} as PID {}, log {}", identity, process.pid(), logFile);
      return new ChildOperator(identity, logFile, logOffset, process);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String identity() {
    return identity;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL, and waits until the process is gone. */
  public void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            identity + " (PID " + process.pid() + ") outlived SIGKILL by 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    log.info("killed {} (PID {})", identity, process.pid());
  }

  /** Whether its /readyz answers 200 (false while its endpoints do not listen yet). */
  public boolean isReady() {
    try {
      return listeningPort().isPresent() && get("/readyz").statusCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reconciliations it started, from its Prometheus endpoint. */
  public double reconciliations() {
    try {
      return get("/metrics")
          .body()
          .lines()
          .filter(line -> line.startsWith(RECONCILIATIONS))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port its endpoints listen on, once it has logged it. */
  private Optional<Integer> listeningPort() throws IOException {
    if (port == 0) {
      String log;
      try (InputStream in = Files.newInputStream(logFile)) {
        in.skipNBytes(logOffset);
        log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      Matcher m = ENDPOINTS.matcher(log);
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
      }
    }
    return port == 0 ? Optional.empty() : Optional.of(port);
  }

  private HttpResponse<String> get(String path) throws IOException {
    int listening =
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(this::listeningPort, Optional::isPresent)
            .orElseThrow();
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + listening + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
