package dev.inferops.operator.testsupport;

import dev.inferops.operator.InferenceOperatorMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
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

  private final String identity;
  private final int port;
  private final Process process;

  private ChildOperator(String identity, int port, Process process) {
    this.identity = identity;
    this.port = port;
    this.process = process;
  }

  static ChildOperator start(String namespace, String identity, Map<String, String> extraEnv) {
    try {
      int port = freePort();
      Path logFile =
          Repository.root()
              .resolve("operator/target/it-logs")
              .resolve(namespace + "-" + identity + ".log");
      Files.createDirectories(logFile.getParent());
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
      env.put("OPERATOR_HTTP_PORT", String.valueOf(port));
      env.put("LOG_LEVEL", "info");
      env.putAll(extraEnv);
      Process process = builder.start();
      log.info("started {} as PID {}, log {}", identity, process.pid(), logFile);
      return new ChildOperator(identity, port, process);
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
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    log.info("killed {} (PID {})", identity, process.pid());
  }

  /** Whether its /readyz answers 200. */
  public boolean isReady() {
    try {
      return get("/readyz").statusCode() == 200;
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

  private HttpResponse<String> get(String path) throws IOException {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
