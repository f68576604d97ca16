package dev.inferops.app.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inferops.app.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Set;

/**
 * What the shadow settings file asks for: copy this share of the prediction requests to {@code
 * target}, and count answers within {@code probabilityTolerance} of each other as agreeing.
 *
 * @param target the base URL copies go to; a copy's URL is this plus the original request's path
 * @param sampleRate the share of answered prediction requests copied, from 0 to 1
 * @param probabilityTolerance how far two probabilities (or other non-integer outputs) may differ
 */
public record ShadowConfig(URI target, double sampleRate, double probabilityTolerance) {
  /** Float outputs differ in their last bits between builds; labels must be equal anyway. */
  public static final double DEFAULT_TOLERANCE = 1e-6;

  private static final Set<String> FIELDS = Set.of("target", "sampleRate", "probabilityTolerance");

  /** The copy's URL: the target's base path (without a trailing slash) and then {@code path}. */
  URI copyUri(String path) {
    String base = target.toString();
    return URI.create(
        base.endsWith("/") ? base.substring(0, base.length() - 1) + path : base + path);
  }

  /**
   * Reads the file's JSON.
   *
   * @throws InvalidShadowConfig saying what is wrong, in words for the WARN line
   */
  public static ShadowConfig parse(byte[] content) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(content);
    } catch (JsonProcessingException e) {
      throw new InvalidShadowConfig("not JSON: " + Json.describe(e));
    } catch (IOException e) {
      throw new InvalidShadowConfig("not JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new InvalidShadowConfig("must be a JSON object");
    }
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        // A misspelt field would otherwise be a silent default.
        throw new InvalidShadowConfig(
            "unknown field '"
                + name
                + "'; the fields are target, sampleRate, probabilityTolerance");
      }
    }
    URI target = target(root.get("target"));
    JsonNode rate = root.get("sampleRate");
    if (rate == null || !rate.isNumber() || !(rate.asDouble() >= 0 && rate.asDouble() <= 1)) {
      throw new InvalidShadowConfig("sampleRate must be a number from 0 to 1, got " + rate);
    }
    JsonNode tolerance = root.get("probabilityTolerance");
    double tol = DEFAULT_TOLERANCE;
    if (tolerance != null) {
      if (!tolerance.isNumber()
          || !(tolerance.asDouble() >= 0)
          || Double.isInfinite(tolerance.asDouble())) {
        throw new InvalidShadowConfig(
            "probabilityTolerance must be a number of at least 0, got " + tolerance);
      }
      tol = tolerance.asDouble();
    }
    return new ShadowConfig(target, rate.asDouble(), tol);
  }

  private static URI target(JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw new InvalidShadowConfig(
          "target must be a string such as \"http://NAME-preview.NAMESPACE.svc:80\", got " + node);
    }
    String text = node.asText();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidShadowConfig("target is not a URL: " + e.getMessage());
    }
    // Plain http to a Service inside the cluster; anything else is a mistake to refuse early.
    if (!"http".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null
        || uri.getRawUserInfo() != null) {
      throw new InvalidShadowConfig(
          "target must be an absolute http:// URL with a host and no query, got '" + text + "'");
    }
    return uri;
  }

  /** A settings file the app cannot use; the shadow stays off until it is fixed. */
  public static final class InvalidShadowConfig extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidShadowConfig(String message) {
      super(message);
    }
  }
}
