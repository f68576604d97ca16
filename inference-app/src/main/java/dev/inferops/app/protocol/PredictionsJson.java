package dev.inferops.app.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.inferops.app.model.Prediction;
import dev.inferops.app.routing.Reply;
import java.nio.charset.StandardCharsets;

/** The predictions body that {@code /predict} and KServe V1 share, written straight as bytes. */
public final class PredictionsJson {
  private PredictionsJson() {}

  /**
   * {@code {"predictions": [{"label", "probability"} ...], "model", "version", "app_version"}} (V1
   * without model and version), written as bytes: it is the hottest response, and only the numbers
   * change. The rest is serialised once, by {@link #suffix}.
   */
  public static Reply reply(Prediction[] predictions, byte[] suffix) {
    ByteArrayBuilder out =
        new ByteArrayBuilder(PREFIX.length + suffix.length + 48 * predictions.length);
    out.write(PREFIX);
    for (int i = 0; i < predictions.length; i++) {
      Prediction p = predictions[i];
      out.write(i == 0 ? LABEL : NEXT_LABEL);
      out.append('0' + p.label());
      out.write(PROBABILITY);
      // Jackson's shortest round-trip form, as its generator writes with USE_FAST_DOUBLE_WRITER.
      String d = NumberOutput.toString(p.probability(), true);
      for (int k = 0; k < d.length(); k++) {
        out.append(d.charAt(k));
      }
      out.append('}');
    }
    out.write(suffix);
    return new Reply(200, out.toByteArray(), Reply.JSON, null);
  }

  private static final byte[] PREFIX = ascii("{\"predictions\":[");
  private static final byte[] LABEL = ascii("{\"label\":");
  private static final byte[] NEXT_LABEL = ascii(",{\"label\":");
  private static final byte[] PROBABILITY = ascii(",\"probability\":");

  /**
   * {@code ],"model":..,"version":..,"app_version":..}} with Jackson's escaping; nulls left out.
   */
  public static byte[] suffix(String model, String version, String appVersion) {
    StringBuilder b = new StringBuilder("]");
    String[][] fields = {{"model", model}, {"version", version}, {"app_version", appVersion}};
    for (String[] f : fields) {
      if (f[1] != null) {
        b.append(",\"").append(f[0]).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(f[1], b);
        b.append('"');
      }
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
