package dev.inferops.app.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a model takes and gives, as its runtime declares it: one input tensor of rows whose columns
 * are named features with the values each may take, and its output tensors, each with the batch as
 * its first dimension. Requests are decoded against this, and the V2 metadata is this.
 */
public final class ModelDescription {
  /** A tensor as the Open Inference Protocol names it; -1 in the shape is the batch dimension. */
  public record Tensor(String name, String datatype, long[] shape) {
    /** The number of values per row: the product of the dimensions after the batch. */
    public int valuesPerRow() {
      long n = 1;
      for (int i = 1; i < shape.length; i++) {
        n *= shape[i];
      }
      return (int) n;
    }
  }

  /** One column of the input: a named feature and the values it may take. */
  public record Column(String name, double min, double max, boolean categorical) {
    /** A column of which the runtime knows only the name: any finite value goes. */
    public static Column unbounded(String name) {
      return new Column(name, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false);
    }

    public boolean accepts(double v) {
      return Double.isFinite(v) && v >= min && v <= max && (!categorical || v == Math.rint(v));
    }

    /**
     * What is wrong with a value, to follow the name of the value in a message, or null when
     * nothing is.
     *
     * @param text the value as the client wrote it
     */
    public String problem(double v, String text) {
      if (!Double.isFinite(v)) {
        return "must be a finite number";
      }
      if (v < min || v > max) {
        return "must be between " + format(min) + " and " + format(max) + ", got " + text;
      }
      if (categorical && v != Math.rint(v)) {
        return "is a category code and must be a whole number, got " + text;
      }
      return null;
    }

    private static String format(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }

  private final String platform;
  private final Tensor input;
  private final List<Column> columns;
  private final List<Tensor> outputs;
  private final int labelOutput;
  private final Map<String, Integer> indexByName = new HashMap<>();

  /**
   * @param platform the V2 metadata's {@code platform}: which runtime serves the model
   * @param input a tensor of shape {@code [-1, columns.size()]}
   * @param outputs each of shape {@code [-1, ...]} with fixed dimensions after the batch
   * @param labelOutput the index in {@code outputs} of the predicted class (INT64, one per row), or
   *     -1 when the model is not a classifier
   */
  public ModelDescription(
      String platform, Tensor input, List<Column> columns, List<Tensor> outputs, int labelOutput) {
    if (input.shape().length != 2 || input.shape()[1] != columns.size()) {
      throw new IllegalArgumentException(
          "input " + input.name() + " must have one column per feature");
    }
    this.platform = platform;
    this.input = input;
    this.columns = List.copyOf(columns);
    this.outputs = List.copyOf(outputs);
    this.labelOutput = labelOutput;
    for (int i = 0; i < columns.size(); i++) {
      if (indexByName.put(columns.get(i).name(), i) != null) {
        throw new IllegalArgumentException("column " + columns.get(i).name() + " appears twice");
      }
    }
  }

  public String platform() {
    return platform;
  }

  public Tensor input() {
    return input;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The number of columns of each input row. */
  public int width() {
    return columns.size();
  }

  /** The position of a named column in a row, or -1. */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /** The output tensors in the order a V2 answer lists them. */
  public List<Tensor> outputs() {
    return outputs;
  }

  /** The index of the predicted-class output, or -1 when the model is not a classifier. */
  public int labelOutput() {
    return labelOutput;
  }

  /** The position of a named output, or -1. */
  public int outputIndex(String name) {
    for (int i = 0; i < outputs.size(); i++) {
      if (outputs.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
