package dev.inferops.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The local cluster's script ({@code hack/local-cluster.sh}) and signals to its components. */
public final class LocalCluster {

  /** What a run of the script printed and how it exited. */
  public record Result(int exitCode, String output) {}

  private LocalCluster() {}

  /** Runs {@code hack/local-cluster.sh} with the given arguments (and this JVM's environment). */
  public static Result script(String... args) {
    return hack("local-cluster.sh", args);
  }

  /** Runs one of the repository's {@code hack/} scripts with the given arguments. */
  public static Result hack(String script, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Repository.resolve("hack/" + script).toString());
    command.addAll(List.of(args));
    return run(command, Duration.ofSeconds(60));
  }

  /**
   * Runs a command, its output and errors together, and waits for it at most {@code timeout}: the
   * output goes to a file, so a command that never ends cannot block the wait; one past its
   * deadline is killed and fails the test with the command, the deadline and what it printed.
   */
  public static Result run(List<String> command, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("inferops-command-", ".log");
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String out = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(finished)
          .as("%s did not finish within %s and was killed; it printed:%n%s", command, timeout, out)
          .isTrue();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (output != null) {
        output.toFile().delete();
      }
    }
  }

  /** The directory of the local cluster's binaries (helm among them), built when missing. */
  public static String binDir() {
    Result result = hack("build-components.sh");
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output().trim().lines().reduce((first, last) -> last).orElseThrow();
  }

  /** Whether `status` says every component runs and is healthy. */
  public static boolean healthy() {
    return script("status").exitCode() == 0;
  }

  /** The PID of a control-plane component, such as kube-apiserver. */
  public static long pid(String component) {
    Result result = script("pid", component);
    assertThat(result.exitCode()).as("pid %s: %s", component, result.output()).isZero();
    String[] lines = result.output().trim().split("\n");
    return Long.parseLong(lines[lines.length - 1].trim());
  }

  /** Sends a signal (STOP, CONT, KILL, ...) to a process this test may signal. */
  public static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(kill.exitValue()).as("kill -%s %d", signal, pid).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
