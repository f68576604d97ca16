package dev.inferops.app.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.inferops.app.json.Json;
import dev.inferops.app.json.Utf8;
import dev.inferops.app.routing.ApiException;
import java.io.IOException;

/** A request body as a JSON tree, or a 400 that says what is wrong with it. */
public final class RequestJson {
  // On first use, not at class load: see JsonCore.
  private static final class Reader {
    static final ObjectReader INSTANCE = Json.MAPPER.reader();
  }

  private RequestJson() {}

  /**
   * Parses a request body into a tree.
   *
   * @throws ApiException (400) naming what is wrong: syntax, bad UTF-8 or an exceeded limit
   */
  public static JsonNode parse(byte[] body, int length) {
    if (length == 0) {
      throw ApiException.badRequest("request body is empty; send a JSON object");
    }
    // JSON must be UTF-8. Jackson's byte parser can match a key it has seen before by its bytes
    // without decoding them (the canonicalizing symbol table), so a bad byte inside such a key
    // passes; and with canonicalization off it decodes through a Reader that turns bad bytes
    // into U+FFFD. Checking every byte first closes both holes and keeps the fast parser.
    int bad = Utf8.firstInvalid(body, length);
    if (bad >= 0) {
      throw ApiException.badRequest(
          String.format(
              "request body is not valid UTF-8: byte 0x%02x at offset %d", body[bad] & 0xff, bad));
    }
    JsonNode root;
    try {
      root = Reader.INSTANCE.readTree(body, 0, length);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest(Json.describeLimit(e));
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON: " + Json.describe(e));
    } catch (IOException e) {
      // Reading from a byte array does no I/O; Jackson declares it anyway.
      throw ApiException.badRequest("malformed JSON: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw ApiException.badRequest("request body is empty; send a JSON object");
    }
    return root;
  }

  /** A JSON value's kind as a message names it: "a string", "an object", ... */
  public static String kind(JsonNode node) {
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
