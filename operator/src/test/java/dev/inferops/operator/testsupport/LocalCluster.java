package dev.inferops.operator.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The local cluster's script ({@code hack/local-cluster.sh}) and signals to its components. */
public final class LocalCluster {

  /** What a run of the script printed and how it exited. */
  public record Result(int exitCode, String output) {}

  private LocalCluster() {}

  /** Runs {@code hack/local-cluster.sh} with the given arguments (and this JVM's environment). */
  public static Result script(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = Repository.resolve("hack/local-cluster.sh").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
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
