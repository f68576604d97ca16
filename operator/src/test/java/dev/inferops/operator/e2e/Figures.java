package dev.inferops.operator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Figures the E2E tier measures, appended to target/e2e-figures.txt for docs/benchmarks.md. */
final class Figures {

  private static final Path FILE = Path.of("target", "e2e-figures.txt");

  private Figures() {}

  static void record(String line) {
    System.out.println("[e2e figures] " + line);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE,
          Instant.now() + " " + line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
