package dev.inferops.app.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * Writes the pieces of the hottest answers straight as bytes, exactly as the shared mapper's
 * generator would: the prediction routes' bodies differ from answer to answer only in their
 * numbers, and going through the mapper for them costs more than a small model's scoring.
 */
public final class JsonBytes {
  private JsonBytes() {}

  /**
   * One value of a scored output ({@code long[]}, {@code float[]} or {@code double[]}): Jackson's
   * shortest round-trip form, as its generator writes with USE_FAST_DOUBLE_WRITER, and, as it does,
   * NaN and the infinities as strings, since JSON has no such numbers.
   */
  public static void number(ByteArrayBuilder out, Object values, int i) {
    if (values instanceof long[] l) {
      ascii(out, Long.toString(l[i]));
      return;
    }
    String text;
    boolean finite;
    if (values instanceof float[] f) {
      text = NumberOutput.toString(f[i], true);
      finite = Float.isFinite(f[i]);
    } else {
      double d = ((double[]) values)[i];
      text = NumberOutput.toString(d, true);
      finite = Double.isFinite(d);
    }
    if (!finite) {
      out.append('"');
    }
    ascii(out, text);
    if (!finite) {
      out.append('"');
    }
  }

  /** A JSON string, quotes included, escaped as the generator escapes it. */
  public static void string(ByteArrayBuilder out, String s) {
    out.append('"');
    out.write(JsonStringEncoder.getInstance().quoteAsUTF8(s));
    out.append('"');
  }

  /** Text known to be ASCII: numbers, and names checked to be plain when a model loads. */
  public static void ascii(ByteArrayBuilder out, String s) {
    for (int k = 0; k < s.length(); k++) {
      out.append(s.charAt(k));
    }
  }
}
