package dev.inferops.app.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.Json;
import java.io.IOException;
import java.util.Iterator;

/**
 * Compares two predictions bodies, {@code {"predictions":[{OUTPUT: value ...} ...]}}, as {@code
 * /predict} and KServe V1 write them: the same rows with the same outputs, whole numbers (labels)
 * equal, other numbers (probabilities, regressors' values) within the tolerance. The rest of the
 * body (model, version, app_version) is expected to differ between two versions and is ignored.
 */
final class AnswerComparison {
  // A disagreement is logged for people: a row or two, never a screenful.
  private static final int MAX_DESCRIPTION = 300;

  private AnswerComparison() {}

  /** What two answers' comparison found. */
  record Verdict(boolean agree, String difference) {
    static final Verdict AGREE = new Verdict(true, null);

    static Verdict differ(String difference) {
      return new Verdict(
          false,
          difference.length() <= MAX_DESCRIPTION
              ? difference
              : difference.substring(0, MAX_DESCRIPTION) + "...");
    }
  }

  static Verdict compare(byte[] live, byte[] preview, double tolerance) {
    JsonNode a = predictions(live);
    JsonNode b = predictions(preview);
    if (a == null) {
      return Verdict.differ("the live answer is not a predictions body");
    }
    if (b == null) {
      return Verdict.differ("the preview's answer is not a predictions body");
    }
    if (a.size() != b.size()) {
      return Verdict.differ("live has " + a.size() + " rows, preview " + b.size());
    }
    for (int row = 0; row < a.size(); row++) {
      if (!same(a.get(row), b.get(row), tolerance)) {
        return Verdict.differ("row " + row + ": live " + a.get(row) + ", preview " + b.get(row));
      }
    }
    return Verdict.AGREE;
  }

  private static JsonNode predictions(byte[] body) {
    try {
      JsonNode rows = Json.MAPPER.readTree(body).get("predictions");
      return rows != null && rows.isArray() ? rows : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static boolean same(JsonNode a, JsonNode b, double tolerance) {
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      return a.bigIntegerValue().equals(b.bigIntegerValue());
    }
    if (a.isNumber() && b.isNumber()) {
      // A float output may print as "1.0" on one side and a label as "1" on the other.
      return Math.abs(a.doubleValue() - b.doubleValue()) <= tolerance;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (Iterator<String> names = a.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        JsonNode other = b.get(name);
        if (other == null || !same(a.get(name), other, tolerance)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }
}
