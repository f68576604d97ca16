package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How the app simulates a crash after crashAfterSeconds. */
public enum CrashMode {
  @JsonProperty("unhealthy")
  UNHEALTHY,
  @JsonProperty("exit")
  EXIT;

  /** The value as written in the resource and passed to the app. */
  public String value() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
