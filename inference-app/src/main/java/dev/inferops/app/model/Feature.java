package dev.inferops.app.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The 13 input features of the heart-disease model, in the order the scorer expects them. */
public enum Feature {
  AGE("age", 1, 120, false),
  SEX("sex", 0, 1, true),
  CP("cp", 0, 3, true),
  TRESTBPS("trestbps", 50, 250, false),
  CHOL("chol", 100, 700, false),
  FBS("fbs", 0, 1, true),
  RESTECG("restecg", 0, 2, true),
  THALACH("thalach", 50, 250, false),
  EXANG("exang", 0, 1, true),
  OLDPEAK("oldpeak", 0, 10, false),
  SLOPE("slope", 0, 2, true),
  CA("ca", 0, 4, true),
  THAL("thal", 0, 3, true);

  public static final int COUNT = values().length;
  public static final List<Feature> ALL = List.of(values());

  private static final Map<String, Feature> BY_NAME = new HashMap<>();

  static {
    for (Feature f : values()) {
      BY_NAME.put(f.jsonName, f);
    }
  }

  private final String jsonName;
  private final double min;
  private final double max;
  // Codes (sex, chest-pain type, ...) are categories; a fractional value is a client bug, not data.
  private final boolean categorical;

  Feature(String jsonName, double min, double max, boolean categorical) {
    this.jsonName = jsonName;
    this.min = min;
    this.max = max;
    this.categorical = categorical;
  }

  public String jsonName() {
    return jsonName;
  }

  public double min() {
    return min;
  }

  public double max() {
    return max;
  }

  public boolean categorical() {
    return categorical;
  }

  /** Returns the feature with this JSON name, or null. */
  public static Feature byName(String name) {
    return BY_NAME.get(name);
  }

  public static List<String> names() {
    return ALL.stream().map(Feature::jsonName).toList();
  }
}
