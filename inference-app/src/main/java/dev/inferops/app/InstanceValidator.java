package dev.inferops.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a request body into feature rows, rejecting anything the model should not see. */
public final class InstanceValidator {
  public static final int MAX_INSTANCES = 1000;
  public static final String INSTANCES = "instances";

  /**
   * Parses {@code {"instances": [...]}} or, when {@code allowSingle}, one bare instance object.
   *
   * @return one row per instance, each in {@link Feature} order
   * @throws ApiException (400) naming the offending field
   */
  public double[][] parse(byte[] body, int length, boolean allowSingle) {
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
