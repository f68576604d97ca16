package dev.inferops.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a request body into feature rows, rejecting anything the model should not see. */
public final class InstanceValidator {
  public static final int MAX_INSTANCES = 1000;
  public static final String INSTANCES = "instances";

  // The mapper's limits; duplicate keys are caught by the fast path's own bookkeeping, which is
  // cheaper than the parser's set of names per object.
  private static final JsonFactory FACTORY =
      JsonCore.FACTORY
          .rebuild()
          .disable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * Parses {@code {"instances": [...]}} or, when {@code allowSingle}, one bare instance object.
   *
   * @return one row per instance, each in {@link Feature} order
   * @throws ApiException (400) naming the offending field
   */
  public double[][] parse(byte[] body, int length, boolean allowSingle) {
    if (Utf8.firstInvalid(body, length) < 0) {
      double[][] rows = fastParse(body, length, allowSingle);
      if (rows != null) {
        return rows;
      }
    }
    // Anything unusual, valid or not, goes the slow way, which also words every error.
    JsonNode root = Json.parseBody(body, length);
    if (!root.isObject()) {
      throw ApiException.badRequest(
          "request body must be a JSON object, got " + describe(root), null);
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
          "'instances' must be an array of objects, got " + describe(instances), INSTANCES);
    }
    int n = instances.size();
    if (n == 0) {
      throw ApiException.badRequest("'instances' must not be empty", INSTANCES);
    }
    if (n > MAX_INSTANCES) {
      throw ApiException.badRequest(
          "too many instances: " + n + " (at most " + MAX_INSTANCES + " per request)", INSTANCES);
    }
    double[][] rows = new double[n][];
    for (int i = 0; i < n; i++) {
      String path = INSTANCES + "[" + i + "]";
      JsonNode item = instances.get(i);
      if (!item.isObject()) {
        throw ApiException.badRequest(
            path
                + " must be an object with the "
                + Feature.COUNT
                + " features, got "
                + describe(item),
            path);
      }
      rows[i] = instance(item, path + ".");
    }
    return rows;
  }

  /**
   * Streams a well-formed request straight into rows, without building a tree: a third of the CPU
   * per request at high rates. Returns null at the first thing it does not expect; it never accepts
   * what {@link #parse} would reject.
   */
  private static double[][] fastParse(byte[] body, int length, boolean allowSingle) {
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
          if (row == null || n == MAX_INSTANCES) {
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

  private static final int ALL_FEATURES = (1 << Feature.COUNT) - 1;

  private static double[] fastInstance(JsonParser p, String name) throws IOException {
    double[] row = new double[Feature.COUNT];
    int seen = 0;
    while (name != null) {
      Feature f = Feature.byName(name);
      if (f == null) {
        return null;
      }
      JsonToken t = p.nextToken();
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        return null;
      }
      double v = p.getDoubleValue();
      if (!Double.isFinite(v)
          || v < f.min()
          || v > f.max()
          || (f.categorical() && v != Math.rint(v))
          || (seen & (1 << f.ordinal())) != 0) {
        return null;
      }
      row[f.ordinal()] = v;
      seen |= 1 << f.ordinal();
      name = p.nextFieldName();
    }
    return p.currentToken() == JsonToken.END_OBJECT && seen == ALL_FEATURES ? row : null;
  }

  private static double[] instance(JsonNode object, String prefix) {
    double[] row = new double[Feature.COUNT];
    boolean[] seen = new boolean[Feature.COUNT];
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      String name = e.getKey();
      Feature feature = Feature.byName(name);
      if (feature == null) {
        throw ApiException.badRequest(
            "unknown feature '" + name + "'; expected " + Feature.names(), prefix + name);
      }
      row[feature.ordinal()] = value(feature, e.getValue(), prefix + name);
      seen[feature.ordinal()] = true;
    }
    List<String> missing = null;
    for (Feature f : Feature.ALL) {
      if (!seen[f.ordinal()]) {
        if (missing == null) {
          missing = new ArrayList<>();
        }
        missing.add(f.jsonName());
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

  private static double value(Feature feature, JsonNode node, String field) {
    // Strict on purpose: "63" or true is far more likely a client bug than intended input.
    if (!node.isNumber()) {
      throw ApiException.badRequest(field + " must be a number, got " + describe(node), field);
    }
    return check(feature, node.doubleValue(), node.asText(), field, field);
  }

  /**
   * The rules every protocol applies to one feature value.
   *
   * @param text the value as the client wrote it, for the message
   * @param subject how the message names the value
   */
  static double check(Feature feature, double v, String text, String subject, String field) {
    if (!Double.isFinite(v)) {
      throw ApiException.badRequest(subject + " must be a finite number", field);
    }
    if (v < feature.min() || v > feature.max()) {
      throw ApiException.badRequest(
          subject
              + " must be between "
              + fmt(feature.min())
              + " and "
              + fmt(feature.max())
              + ", got "
              + text,
          field);
    }
    if (feature.categorical() && v != Math.rint(v)) {
      throw ApiException.badRequest(
          subject + " is a category code and must be a whole number, got " + text, field);
    }
    return v;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case NULL -> "null";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NUMBER -> "a number";
      default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
