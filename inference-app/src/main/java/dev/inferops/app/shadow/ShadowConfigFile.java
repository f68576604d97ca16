package dev.inferops.app.shadow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the shadow settings file. The operator mounts it from a ConfigMap, which the kubelet
 * updates by swapping a {@code ..data} symlink: reading the whole file again each time sees every
 * update, where a file watcher on the path can miss them.
 */
final class ShadowConfigFile {
  // A ConfigMap holds at most 1 MiB; three fields need a few hundred bytes.
  static final long MAX_BYTES = 64 * 1024;

  private ShadowConfigFile() {}

  /**
   * The file as last read: off (missing or empty), a config, or what is wrong with it.
   *
   * @param config null when the shadow is off
   * @param problem null unless the file is invalid
   */
  record Reading(ShadowConfig config, String problem) {
    static final Reading OFF = new Reading(null, null);

    static Reading invalid(String problem) {
      return new Reading(null, problem);
    }
  }

  static Reading read(Path file) {
    byte[] content;
    try {
      if (Files.size(file) > MAX_BYTES) {
        return Reading.invalid("larger than " + MAX_BYTES + " bytes");
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Reading.OFF;
    } catch (IOException e) {
      return Reading.invalid("cannot be read: " + e);
    }
    if (new String(content, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return Reading.OFF;
    }
    try {
      return new Reading(ShadowConfig.parse(content), null);
    } catch (ShadowConfig.InvalidShadowConfig e) {
      return Reading.invalid(e.getMessage());
    }
  }
}
