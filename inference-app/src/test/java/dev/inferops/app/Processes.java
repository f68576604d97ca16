package dev.inferops.app;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Waiting for child processes in a way that cannot hang the suite. */
final class Processes {
  private Processes() {}

  /**
   * The exit status of {@code process} once it exits within {@code timeout}. Past it the process is
   * killed and the test fails naming {@code command}, the timeout and the output so far. The caller
   * must send the child's output to a file, not a pipe: a child blocked on a full pipe would never
   * exit, and reading the pipe to its end first would wait for ever on a stuck child.
   */
  static int awaitExit(Process process, String command, Duration timeout, Supplier<String> output)
      throws InterruptedException {
    if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return process.exitValue();
    }
    kill(process);
    return fail(
        "`%s` was still running after %s, so it was killed; its output:%n%s",
        command, seconds(timeout), output.get());
  }

  /** Kills {@code process} and reaps it, waiting a bounded time for the kernel to do so. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
  }
}
