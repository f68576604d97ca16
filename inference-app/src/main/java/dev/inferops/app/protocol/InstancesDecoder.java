package dev.inferops.app.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.JsonCore;
import dev.inferops.app.json.Utf8;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.routing.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes the {@code instances} format of {@code /predict} and KServe V1 into rows laid out as the
 * model's columns, checking each value against its column as it goes: one pass, every rule of the
 * format in this file.
 */
public final class InstancesDecoder {
  public static final String INSTANCES = "instances";

  // The mapper's limits; duplicate keys are caught by the fast path's own bookkeeping, which is
  // cheaper than the parser's set of names per object.
  private static final JsonFactory FACTORY =
      JsonCore.FACTORY
          .rebuild()
          .disable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private final ModelDescription description;
  private final int width;
  // One bit per column: the fast path's bookkeeping of which features an instance has named.
  private final long allColumns;

  public InstancesDecoder(ModelDescription description) {
    this.description = description;
    this.width = description.width();
    this.allColumns = width == Long.SIZE ? -1L : (1L << width) - 1;
  }

  /**
   * Decodes {@code {"instances": [...]}} or, when {@code allowSingle}, one bare instance object.
   *
   * @return one row per instance, each laid out as the model's columns
   * @throws ApiException (400) naming the offending field
   */
  public double[][] decode(byte[] body, int length, boolean allowSingle) {
    if (width <= Long.SIZE && Utf8.firstInvalid(body, length) < 0) {
      double[][] rows = fastParse(body, length, allowSingle);
      if (rows != null) {
        return rows;
      }
    }
    // Anything unusual, valid or not, goes the slow way, which also words every error.
    JsonNode root = RequestJson.parse(body, length);
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "request body must be a JSON object, got " + RequestJson.kind(root), null);
    }
    JsonNode instances = root.get(INSTANCES);
    if (instances == null) {
      if (!allowSingle) {
        throw ApiException.badRequest("missing field 'instances'", INSTANCES);
      }
      return new double[][] {instance(root, "")};
    }
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (!INSTANCES.equals(e.getKey())) {
        throw ApiException.badRequest(
            "unknown field '" + e.getKey() + "' next to 'instances'", e.getKey());
      }
    }
    if (!instances.isArray()) {
      throw ApiException.badRequest(
          "'instances' must be an array of rows, got " + RequestJson.kind(instances), INSTANCES);
    }
    int n = instances.size();
    if (n == 0) {
      throw ApiException.badRequest("'instances' must not be empty", INSTANCES);
    }
    if (n > DataPlane.MAX_BATCH) {
      throw ApiException.badRequest(
          "too many instances: " + n + " (at most " + DataPlane.MAX_BATCH + " per request)",
          INSTANCES);
    }
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      String path = INSTANCES + "[" + i + "]";
      JsonNode item = instances.get(i);
      if (item.isArray()) {
        rows[i] = positional(item, path);
      } else if (item.isObject()) {
        rows[i] = instance(item, path + ".");
      } else {
        throw ApiException.badRequest(
            path
                + " must be an object with the "
                + width
                + " features or an array of "
                + width
                + " numbers, got "
                + RequestJson.kind(item),
            path);
      }
    }
    return rows;
  }

  /**
   * Streams a well-formed request straight into rows, without building a tree: a third of the CPU
   * per request at high rates. Returns null at the first thing it does not expect; it never accepts
   * what {@link #decode} would reject.
   */
  private double[][] fastParse(byte[] body, int length, boolean allowSingle) {
    try (JsonParser p = FACTORY.createParser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String first = p.nextFieldName();
      if (first == null) {
        return null;
      }
      double[][] rows;
      if (first.equals(INSTANCES)) {
        if (p.nextToken() != JsonToken.START_ARRAY) {
          return null;
        }
        rows = new double[8][];
        int n = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
          double[] row = fastInstance(p, p.nextFieldName());
          if (row == null || n == DataPlane.MAX_BATCH) {
            return null;
          }
          if (n == rows.length) {
            rows = java.util.Arrays.copyOf(rows, 2 * n);
          }
          rows[n++] = row;
        }
        if (p.currentToken() != JsonToken.END_ARRAY
            || n == 0
            || p.nextToken() != JsonToken.END_OBJECT) {
          return null;
        }
        rows = n == rows.length ? rows : java.util.Arrays.copyOf(rows, n);
      } else {
        if (!allowSingle) {
          return null;
        }
        double[] row = fastInstance(p, first);
        if (row == null) {
          return null;
        }
        rows = new double[][] {row};
      }
      return p.nextToken() == null ? rows : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private double[] fastInstance(JsonParser p, String name) throws IOException {
    double[] row = new double[width];
    long seen = 0;
    while (name != null) {
      int i = description.indexOf(name);
      if (i < 0) {
        return null;
      }
      JsonToken t = p.nextToken();
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        return null;
      }
      double v = p.getDoubleValue();
      if (!description.columns().get(i).accepts(v) || (seen & (1L << i)) != 0) {
        return null;
      }
      row[i] = v;
      seen |= 1L << i;
      name = p.nextFieldName();
    }
    return p.currentToken() == JsonToken.END_OBJECT && seen == allColumns ? row : null;
  }

  // KServe's V1 rows of numbers, in the order of the model's columns.
  private double[] positional(JsonNode array, String path) {
    if (array.size() != width) {
      throw ApiException.badRequest(
          path + " has " + array.size() + " values but the model takes " + width, path);
    }
    double[] row = new double[width];
    for (int i = 0; i < width; i++) {
      ModelDescription.Column column = description.columns().get(i);
      String field = path + "[" + i + "]";
      row[i] = value(column, array.get(i), field + " (" + column.name() + ")", field);
    }
    return row;
  }

  private double[] instance(JsonNode object, String prefix) {
    double[] row = new double[width];
    boolean[] seen = new boolean[width];
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String name = e.getKey();
      int i = description.indexOf(name);
      if (i < 0) {
        throw ApiException.badRequest(
            "unknown feature '" + name + "'; expected " + description.columnNames(), prefix + name);
      }
      row[i] = value(description.columns().get(i), e.getValue(), prefix + name, prefix + name);
      seen[i] = true;
    }
    List<String> missing = null;
    for (int i = 0; i < width; i++) {
      if (!seen[i]) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(description.columns().get(i).name());
      }
    }
    if (missing != null) {
      throw ApiException.badRequest(
          (missing.size() == 1 ? "missing feature " : "missing features ")
              + String.join(", ", missing),
          prefix + missing.get(0));
    }
    return row;
  }

  private static double value(
      ModelDescription.Column column, JsonNode node, String subject, String field) {
    // Strict on purpose: "63" or true is far more likely a client bug than intended input.
    if (!node.isNumber()) {
      throw ApiException.badRequest(
          subject + " must be a number, got " + RequestJson.kind(node), field);
    }
    double v = node.doubleValue();
    String problem = column.problem(v, node.asText());
    if (problem != null) {
      throw ApiException.badRequest(subject + " " + problem, field);
    }
    return v;
  }
}
