package dev.inferops.operator.analysis;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses one sample line of the Prometheus text exposition (format 0.0.4): {@code name{label="v",
 * ...} value [timestamp]}. Strict, so that an HTML error page or a truncated answer is rejected
 * instead of being read as "no requests".
 */
final class SampleLineParser {

  // Go's ParseFloat, which Prometheus uses, in the spellings exporters write; Java's own
  // parseDouble would also take "1d" or hexadecimal, which no exporter writes.
  private static final Pattern FLOAT =
      Pattern.compile(
          "[+-]?(?:[Ii]nf(?:inity)?|NaN|nan|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?)");
  private static final Pattern TIMESTAMP = Pattern.compile("-?\\d+");

  private final String line;
  private int at;

  private SampleLineParser(String line) {
    this.line = line;
  }

  /** The sample on {@code line}, which is neither blank nor a comment. */
  static Sample parse(String line) throws MetricsFormatException {
    return new SampleLineParser(line).sample();
  }

  /** A number as the exposition writes it: also {@code +Inf}, {@code -Inf}, {@code NaN}. */
  static double parseFloat(String text) throws MetricsFormatException {
    if (!FLOAT.matcher(text).matches()) {
      throw new MetricsFormatException("not a number: " + abbreviate(text));
    }
    String unsigned = text.replaceFirst("^[+-]", "");
    boolean negative = text.startsWith("-");
    if (unsigned.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    if (Character.toLowerCase(unsigned.charAt(0)) == 'i') {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(text);
  }

  private Sample sample() throws MetricsFormatException {
    String name = name(true);
    Map<String, String> labels = new HashMap<>();
    boolean blank = skipBlanks();
    if (peek() == '{') {
      at++;
      labels(labels);
      blank = skipBlanks();
    }
    if (!blank || at == line.length()) {
      throw fail("expected a blank and a value");
    }
    double value = parseFloat(token());
    if (skipBlanks() && at < line.length()) {
      String timestamp = token();
      if (!TIMESTAMP.matcher(timestamp).matches()) {
        throw fail("not a timestamp: " + abbreviate(timestamp));
      }
    }
    skipBlanks();
    if (at < line.length()) {
      throw fail("unexpected text after the value");
    }
    return new Sample(name, labels, value);
  }

  private void labels(Map<String, String> labels) throws MetricsFormatException {
    while (true) {
      skipBlanks();
      if (peek() == '}') {
        at++;
        return;
      }
      String label = name(false);
      skipBlanks();
      expect('=');
      skipBlanks();
      expect('"');
      if (labels.put(label, quoted()) != null) {
        throw fail("label " + label + " given twice");
      }
      skipBlanks();
      if (peek() == ',') {
        at++;
      } else if (peek() != '}') {
        throw fail("expected ',' or '}' after a label");
      }
    }
  }

  /** The rest of a label value after its opening quote, unescaped. */
  private String quoted() throws MetricsFormatException {
    StringBuilder value = new StringBuilder();
    while (at < line.length()) {
      char c = line.charAt(at++);
      if (c == '"') {
        return value.toString();
      }
      if (c != '\\') {
        value.append(c);
        continue;
      }
      char escaped = at < line.length() ? line.charAt(at++) : '\0';
      switch (escaped) {
        case '\\', '"' -> value.append(escaped);
        case 'n' -> value.append('\n');
        default -> throw fail("unknown escape in a label value");
      }
    }
    throw fail("label value not closed");
  }

  /** A metric name (may contain ':') or a label name. */
  private String name(boolean metric) throws MetricsFormatException {
    int start = at;
    while (at < line.length() && nameChar(line.charAt(at), at == start, metric)) {
      at++;
    }
    if (at == start) {
      throw fail(metric ? "expected a metric name" : "expected a label name");
    }
    return line.substring(start, at);
  }

  private static boolean nameChar(char c, boolean first, boolean metric) {
    boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return letter || (metric && c == ':') || (!first && c >= '0' && c <= '9');
  }

  private String token() {
    int start = at;
    while (at < line.length() && !blank(line.charAt(at))) {
      at++;
    }
    return line.substring(start, at);
  }

  /** Skips spaces and tabs; whether there were any. */
  private boolean skipBlanks() {
    int start = at;
    while (at < line.length() && blank(line.charAt(at))) {
      at++;
    }
    return at > start;
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  private char peek() {
    return at < line.length() ? line.charAt(at) : '\0';
  }

  private void expect(char c) throws MetricsFormatException {
    if (peek() != c) {
      throw fail("expected '" + c + "'");
    }
    at++;
  }

  private MetricsFormatException fail(String what) {
    return new MetricsFormatException(what + " at column " + (at + 1));
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 40) + "...'";
  }
}
