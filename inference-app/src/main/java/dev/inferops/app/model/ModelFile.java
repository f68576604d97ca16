package dev.inferops.app.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The heart model's file as stored on disk (JSON); arrays are indexed like {@code features}.
 *
 * @param heldOut how the model did on the rows it never saw in training
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelFile(
    String name,
    String version,
    List<String> features,
    double[] means,
    double[] scales,
    double[] weights,
    Double bias,
    ModelFile.Evaluation heldOut) {

  /** How the model did on the rows it never saw in training. */
  public record Evaluation(
      double accuracy, double rocAuc, int trainRows, int testRows, long seed, String data) {}
}
