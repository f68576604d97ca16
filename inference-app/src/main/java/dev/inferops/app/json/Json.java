package dev.inferops.app.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one strictly configured Jackson mapper shared by the whole app (mappers are costly to build).
 */
public final class Json {
  public static final int MAX_NESTING_DEPTH = JsonCore.MAX_NESTING_DEPTH;
  public static final int MAX_NUMBER_LENGTH = JsonCore.MAX_NUMBER_LENGTH;
  public static final int MAX_NAME_LENGTH = JsonCore.MAX_NAME_LENGTH;

  private static final Pattern FIRST_NUMBER = Pattern.compile("\\((\\d+)");

  public static final ObjectMapper MAPPER =
      // A copy: the mapper claims the factory it is given as its codec.
      JsonMapper.builder(JsonCore.FACTORY.copy())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .build();

  private Json() {}

  /** Says which limit was hit, in the app's words rather than Jackson's. */
  public static String describeLimit(StreamConstraintsException e) {
    String m = String.valueOf(e.getOriginalMessage());
    Matcher n = FIRST_NUMBER.matcher(m);
    String seen = n.find() ? n.group(1) : null;
    if (m.startsWith("Number value length") || m.startsWith("Number length")) {
      return "JSON number is too long"
          + (seen == null ? "" : ": " + seen + " characters")
          + " (at most "
          + MAX_NUMBER_LENGTH
          + ")";
    }
    if (m.startsWith("Name length")) {
      return "JSON key is too long"
          + (seen == null ? "" : ": " + seen + " characters")
          + " (at most "
          + MAX_NAME_LENGTH
          + ")";
    }
    if (m.startsWith("Document nesting depth") || m.contains("nesting depth")) {
      return "JSON is nested too deeply (at most " + MAX_NESTING_DEPTH + " levels)";
    }
    if (m.startsWith("String value length")) {
      return "JSON string is too long" + (seen == null ? "" : ": " + seen + " characters");
    }
    return "JSON exceeds a parser limit: " + firstLine(m);
  }

  /** Jackson's message without its source excerpt, plus where it happened, for people to read. */
  public static String describe(JsonProcessingException e) {
    String message = firstLine(e.getOriginalMessage());
    JsonLocation where = e.getLocation();
    if (where != null && where.getLineNr() > 0) {
      return message + " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")";
    }
    return message;
  }

  // Jackson appends a long "at [Source: ...]" hint on a second line; the first line says it all.
  private static String firstLine(String message) {
    if (message == null) {
      return null;
    }
    int newline = message.indexOf('\n');
    return newline >= 0 ? message.substring(0, newline) : message;
  }
}
