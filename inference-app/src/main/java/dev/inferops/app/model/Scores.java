package dev.inferops.app.model;

import java.util.List;

/**
 * A scored batch: for each output tensor of the model's description, in its order, the values of
 * every row flattened row-major, as {@code long[]} (INT64), {@code float[]} (FP32) or {@code
 * double[]} (FP64).
 */
public record Scores(int rows, List<Object> outputs) {

  /**
   * The label of a row, from the description's label output; see {@link
   * ModelDescription#labelOutput()}.
   */
  public long label(int output, int row) {
    return ((long[]) outputs.get(output))[row];
  }
}
