package dev.inferops.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** Runs the operator against the current kubeconfig or in-cluster config until stopped. */
public final class InferenceOperatorMain {

  private InferenceOperatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    configureLogging(System.getenv("LOG_LEVEL"));
    OperatorSettings settings = OperatorSettings.fromEnv(System.getenv());
    KubernetesClient client = new KubernetesClientBuilder().build();
    InferenceOperator operator = InferenceOperator.start(client, settings);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.close();
                  client.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }

  /** Must run before the first logger is created: slf4j-simple reads these properties once. */
  static void configureLogging(String level) {
    String normalized =
        level == null || level.isBlank() ? "info" : level.trim().toLowerCase(Locale.ROOT);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", normalized);
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.informers", "warn");
    if (!normalized.equals("debug") && !normalized.equals("trace")) {
      // The SDK logs every failed attempt with its stack trace; retries never run out here, so the
      // reconciler logs each distinct failure once instead.
      System.setProperty(
          "org.slf4j.simpleLogger.log.io.javaoperatorsdk.operator.processing.event.EventProcessor",
          "error");
    }
  }
}
