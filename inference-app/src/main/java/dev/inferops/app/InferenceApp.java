package dev.inferops.app;

import dev.inferops.app.download.ModelDownload;
import dev.inferops.app.http.HttpTransport;
import dev.inferops.app.metrics.AppMetrics;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.onnx.OnnxModel;
import dev.inferops.app.settings.Settings;
import dev.inferops.app.training.ModelTrainer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: serves the model over HTTP, trains one with {@code train}, or fetches one with
 * {@code download}.
 */
public final class InferenceApp {
  static final String USAGE =
      """
      Usage:
        java -jar inference-app.jar [serve]     serve the model over HTTP (settings from env)
        java -jar inference-app.jar train --data heart.csv --out model.json [options]
        java -jar inference-app.jar download --url URL [--sha256 HEX] --out FILE [options]
        java -jar inference-app.jar self-check   serve the bundled and an ONNX model on
                                loopback, ask every route once, stop (exit 1 naming what failed)
        java -jar inference-app.jar --help

      Environment (serve):
        PORT                    listen port (default 8000; 0 = any free port)
        BIND_ADDRESS            listen address (default 0.0.0.0)
        MODEL_PATH              a heart model JSON file, or an ONNX model (*.onnx) with one
                                [N, features] tensor input (default: the bundled 'heart' model)
        MODEL_MAX_MB            refuse model files larger than this (default 512)
        START_DELAY_SECONDS     answer 503 on readiness and predict for this long (default 0)
        CRASH_AFTER_SECONDS     simulate a crash after this long (default 0 = never)
        CRASH_MODE              unhealthy (/health answers 500) or exit (exit status 1)
        HTTP_THREADS            event-loop threads (default: one per core)
        HTTP_REQUEST_TIMEOUT_SECONDS  a request must arrive in full within this (default 10)
        HTTP_IDLE_TIMEOUT_SECONDS     idle keep-alive connections close after this (default 60)
        HTTP_MAX_CONNECTIONS    open connections at most; more get a 503 (default 1024)
        SHUTDOWN_DRAIN_SECONDS  on SIGTERM, keep serving this long while not ready (default 5)
        SHUTDOWN_GRACE_SECONDS  then time for requests in flight (default 2)
        TERMINATION_GRACE_PERIOD_SECONDS  the pod's; drain + grace + 1 must fit (default 30)
        APP_VERSION             reported in X-App-Version and app_version (default: jar version)
        SHADOW_CONFIG_FILE      JSON file, re-read every 2 s, naming a target to copy a sample of
                                the predictions to and compare (default: unset = no shadow)
        SHADOW_QUEUE_CAPACITY   copies waiting to be sent at most; more are dropped (default 256)

      Fault injection, to test canary analysis; never set these in production (default: off):
        FAULT_INJECTION_ERROR_FRACTION  0 to 1: that fraction of prediction requests answer 500
        FAULT_INJECTION_DELAY_MILLIS    0 to 60000: every prediction request is answered this late

      Options (train):
        --data FILE        CSV with the 13 feature columns and a 0/1 'target' column
        --out FILE         where to write the model JSON
        --name NAME        model name (default heart)
        --version VERSION  model version (default 1)
        --seed N           seed of the stratified 80/20 split (default 42)

      Options (download: fetch a model before the server starts, e.g. in an init container):
        --url URL          http:// or https:// URL of the model file
        --sha256 HEX       the file's expected SHA-256; a mismatch fails and keeps nothing
        --out FILE         where the model goes, moved into place only when whole and right
        --max-mb N         refuse larger files (default 512)
        --timeout-seconds S  the whole download must finish within this (default 300)
      """;

  private InferenceApp() {}

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status >= 0) {
      System.exit(status);
    }
  }

  /** Runs a command; returns its exit status, or -1 when the server keeps running. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    String command = args.length == 0 ? "serve" : args[0];
    switch (command) {
      case "serve":
        if (args.length > 1) {
          err.println("serve takes no arguments; configure it with environment variables");
          err.print(USAGE);
          return 2;
        }
        return serve(err);
      case "train":
        return ModelTrainer.run(Arrays.copyOfRange(args, 1, args.length), USAGE, out, err);
      case "download":
        return ModelDownload.run(Arrays.copyOfRange(args, 1, args.length), USAGE, out, err);
      case "self-check":
        return SelfCheck.run(out, err);
      case "--help":
      case "-h":
      case "help":
        out.print(USAGE);
        return 0;
      default:
        err.println("unknown command '" + command + "'");
        err.print(USAGE);
        return 2;
    }
  }

  private static void preload() {
    try {
      // Micrometer first: the main thread needs it right after the model, Netty after that.
      AppMetrics.preload();
      HttpTransport.preload();
    } catch (RuntimeException | LinkageError e) {
      // Only a head start: the real use reports any real problem.
    }
  }

  private static int serve(PrintStream err) {
    Settings settings;
    try {
      settings = Settings.fromEnv();
    } catch (Settings.SettingsException e) {
      err.println("inference-app: invalid setting: " + e.getMessage());
      return 2;
    }
    // slf4j first, on this thread: initialising it from two threads at once makes it queue and
    // replay the early log calls with a warning.
    Logger log = LoggerFactory.getLogger(InferenceApp.class);
    // Class loading is most of the start-up; two cores can do two halves of it at once.
    Thread preload = new Thread(InferenceApp::preload, "preload");
    preload.setDaemon(true);
    preload.start();
    AtomicInteger exitStatus = new AtomicInteger();
    AtomicBoolean crashed = new AtomicBoolean();
    AtomicBoolean failed = new AtomicBoolean();
    AtomicReference<InferenceServer> running = new AtomicReference<>();
    // Registered before the port opens: a SIGTERM right after it must still drain and exit 0.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  InferenceServer server = running.get();
                  if (server == null) {
                    if (!failed.get()) {
                      // Stopped while starting: nothing was served, nothing to drain.
                      Runtime.getRuntime().halt(0);
                    }
                    return;
                  }
                  if (crashed.get()) {
                    // A simulated crash should look like one: no drain.
                    server.stop(Duration.ZERO, Duration.ZERO);
                  } else {
                    server.stop();
                  }
                  System.err.flush();
                  // The JVM reports SIGTERM as status 143; a clean drain is a clean exit.
                  Runtime.getRuntime().halt(exitStatus.get());
                },
                "shutdown"));
    Model model;
    try {
      model = loadModel(settings);
    } catch (Model.ModelException e) {
      log.error("cannot load model: {}", e.getMessage());
      failed.set(true);
      return 1;
    }
    try {
      running.set(
          InferenceServer.start(
              settings,
              model,
              status -> {
                exitStatus.set(status);
                crashed.set(true);
                System.exit(status);
              }));
    } catch (IOException e) {
      log.error(
          "cannot listen on {}:{}: {}",
          settings.bindAddress().getHostAddress(),
          settings.port(),
          e.getMessage());
      failed.set(true);
      return 1;
    }
    return -1;
  }

  /** The bundled heart model, a heart model file, or a user's ONNX model by its extension. */
  static Model loadModel(Settings settings) {
    if (settings.modelPath() == null) {
      return LogisticRegressionModel.loadBundled();
    }
    if (settings.modelPath().getFileName().toString().endsWith(".onnx")) {
      return OnnxModel.load(settings.modelPath(), settings.modelMaxMb());
    }
    return LogisticRegressionModel.load(settings.modelPath());
  }
}
