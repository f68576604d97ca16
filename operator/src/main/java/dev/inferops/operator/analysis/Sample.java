package dev.inferops.operator.analysis;

import java.util.Map;

/** One sample line of the text exposition: metric name, labels and value (timestamp dropped). */
record Sample(String name, Map<String, String> labels, double value) {

  Sample {
    labels = Map.copyOf(labels);
  }
}
