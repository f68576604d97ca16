package dev.inferops.app.routing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.inferops.app.json.Json;
import java.nio.charset.StandardCharsets;

/** A response before it meets HTTP: status, body, content type and, for 405, the Allow value. */
public record Reply(int status, byte[] body, String contentType, String allow) {
  public static final String JSON = "application/json";
  public static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  // On first use, not at class load: see JsonCore.
  private static final class Writer {
    static final ObjectWriter INSTANCE = Json.MAPPER.writer();
  }

  /** The one error shape of every route and every layer. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ErrorBody(String error, String field) {}

  public static Reply json(int status, Object body) {
    try {
      return new Reply(status, Writer.INSTANCE.writeValueAsBytes(body), JSON, null);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
    }
  }

  public static Reply error(int status, String message, String field) {
    return json(status, new ErrorBody(message, field));
  }

  public static Reply error(ApiException e) {
    return error(e.status(), e.getMessage(), e.field());
  }

  /**
   * A 200 whose JSON never changes, written without the mapper: the probes' answers, which must not
   * wait for the mapper that is built beside the first requests at start-up.
   */
  public static Reply constantJson(String json) {
    return new Reply(200, json.getBytes(StandardCharsets.UTF_8), JSON, null);
  }

  public static Reply text(String body, String contentType) {
    return new Reply(200, body.getBytes(StandardCharsets.UTF_8), contentType, null);
  }

  public Reply withAllow(String methods) {
    return new Reply(status, body, contentType, methods);
  }
}
