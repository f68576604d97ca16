package dev.inferops.app.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/**
 * The JSON limits and the streaming factory, without Jackson's databind: building an ObjectMapper
 * loads some 400 classes, a third of the start-up, so the start path and the predict fast path use
 * only this, and {@link Json} builds the mapper on first use.
 */
public final class JsonCore {
  /** A valid request is at most 4 levels deep; anything far deeper is an attack or a bug. */
  public static final int MAX_NESTING_DEPTH = 32;

  /** Real numbers here have a few digits; a long one is an attack on BigDecimal parsing. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** Feature names and protocol keys are short. */
  public static final int MAX_NAME_LENGTH = 256;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(MAX_NESTING_DEPTH)
                  .maxNumberLength(MAX_NUMBER_LENGTH)
                  .maxNameLength(MAX_NAME_LENGTH)
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
          .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
          // Random keys from clients must not fill the JVM's string table.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .build();

  private JsonCore() {}
}
