package dev.inferops.app.model;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.inferops.app.json.Json;
import dev.inferops.app.json.JsonCore;
import dev.inferops.app.model.Model.ModelException;
import dev.inferops.app.model.ModelFile.Evaluation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the heart model's JSON file into a {@link ModelFile}, strictly (no unknown keys, no
 * coercion); whether its numbers make a usable model is {@link LogisticRegressionModel}'s check.
 */
final class ModelFileReader {
  private ModelFileReader() {}

  static ModelFile read(byte[] json, String source) {
    ModelFile file;
    try (JsonParser p = JsonCore.FACTORY.createParser(json)) {
      file = readFile(p);
      if (file != null && p.nextToken() != null) {
        throw new JsonParseException(p, "unexpected content after the model object");
      }
    } catch (JsonProcessingException e) {
      throw new ModelException(
          "model " + source + " is not a valid model file: " + Json.describe(e));
    } catch (IOException e) {
      throw new ModelException("cannot read model " + source + ": " + e, e);
    }
    if (file == null) {
      throw new ModelException("model " + source + " is empty");
    }
    return file;
  }

  // Streamed rather than bound with databind, which would put Jackson's ObjectMapper (a third
  // of the start-up time) on the start-up path. Same strictness: no unknown keys, no coercion.
  private static ModelFile readFile(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null || first == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, first == JsonToken.START_OBJECT, "the model must be a JSON object");
    String name = null;
    String version = null;
    List<String> features = null;
    double[] means = null;
    double[] scales = null;
    double[] weights = null;
    Double bias = null;
    Evaluation heldOut = null;
    String key;
    while ((key = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      switch (key) {
        case "name" -> name = string(p, t, key);
        case "version" -> version = string(p, t, key);
        case "features" -> features = strings(p, t, key);
        case "means" -> means = numbers(p, t, key);
        case "scales" -> scales = numbers(p, t, key);
        case "weights" -> weights = numbers(p, t, key);
        case "bias" -> bias = t == JsonToken.VALUE_NULL ? null : number(p, t, key);
        case "heldOut" -> heldOut = t == JsonToken.VALUE_NULL ? null : evaluation(p, t);
        default -> throw new JsonParseException(p, "unknown field '" + key + "'");
      }
    }
    return new ModelFile(name, version, features, means, scales, weights, bias, heldOut);
  }

  private static Evaluation evaluation(JsonParser p, JsonToken t) throws IOException {
    expect(p, t == JsonToken.START_OBJECT, "'heldOut' must be an object");
    double accuracy = 0;
    double rocAuc = 0;
    long trainRows = 0;
    long testRows = 0;
    long seed = 0;
    String data = null;
    String key;
    while ((key = p.nextFieldName()) != null) {
      JsonToken v = p.nextToken();
      switch (key) {
        case "accuracy" -> accuracy = number(p, v, key);
        case "rocAuc" -> rocAuc = number(p, v, key);
        case "trainRows" -> trainRows = whole(p, v, key);
        case "testRows" -> testRows = whole(p, v, key);
        case "seed" -> seed = whole(p, v, key);
        case "data" -> data = string(p, v, key);
        default -> throw new JsonParseException(p, "unknown field 'heldOut." + key + "'");
      }
    }
    return new Evaluation(accuracy, rocAuc, (int) trainRows, (int) testRows, seed, data);
  }

  private static void expect(JsonParser p, boolean ok, String message) throws IOException {
    if (!ok) {
      throw new JsonParseException(p, message);
    }
  }

  private static String string(JsonParser p, JsonToken t, String key) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t == JsonToken.VALUE_STRING, "'" + key + "' must be a string");
    return p.getText();
  }

  private static double number(JsonParser p, JsonToken t, String key) throws IOException {
    expect(
        p,
        t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT,
        "'" + key + "' must be a number");
    return p.getDoubleValue();
  }

  private static long whole(JsonParser p, JsonToken t, String key) throws IOException {
    expect(p, t == JsonToken.VALUE_NUMBER_INT, "'" + key + "' must be a whole number");
    return p.getLongValue();
  }

  private static List<String> strings(JsonParser p, JsonToken t, String key) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t == JsonToken.START_ARRAY, "'" + key + "' must be an array of strings");
    List<String> out = new ArrayList<>();
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      expect(p, v == JsonToken.VALUE_STRING, "'" + key + "' must be an array of strings");
      out.add(p.getText());
    }
    return out;
  }

  private static double[] numbers(JsonParser p, JsonToken t, String key) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, t == JsonToken.START_ARRAY, "'" + key + "' must be an array of numbers");
    double[] out = new double[16];
    int n = 0;
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (n == out.length) {
        out = Arrays.copyOf(out, 2 * n);
      }
      out[n++] = number(p, v, key);
    }
    return Arrays.copyOf(out, n);
  }
}
