package dev.inferops.operator.analysis;

import java.io.IOException;

/**
 * A {@code /metrics} answer that is not the Prometheus text exposition this analysis understands.
 * An {@link IOException}, since to the analysis it is one more way a pod cannot be read.
 */
final class MetricsFormatException extends IOException {

  MetricsFormatException(String message) {
    super(message);
  }
}
