package dev.inferops.app.protocol;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.inferops.app.json.JsonBytes;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.Scores;
import dev.inferops.app.routing.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The predictions body that {@code /predict} and KServe V1 share, written straight as bytes. */
public final class PredictionsJson {
  private PredictionsJson() {}

  /**
   * {@code {"predictions": [{OUTPUT: value ...} ...], "model", "version", "app_version"}} (V1
   * without model and version), one object per row keyed by the model's output names (a scalar
   * where the output has one value per row, else an array), written as bytes: it is the hottest
   * response, and only the numbers change. The rest is serialised once, by {@link #suffix}.
   */
  public static Reply reply(ModelDescription description, Scores scores, byte[] suffix) {
    List<ModelDescription.Tensor> tensors = description.outputs();
    ByteArrayBuilder out = new ByteArrayBuilder(PREFIX.length + suffix.length + 48 * scores.rows());
    out.write(PREFIX);
    for (int row = 0; row < scores.rows(); row++) {
      if (row > 0) {
        out.append(',');
      }
      out.append('{');
      for (int t = 0; t < tensors.size(); t++) {
        ModelDescription.Tensor tensor = tensors.get(t);
        if (t > 0) {
          out.append(',');
        }
        out.append('"');
        JsonBytes.ascii(out, tensor.name());
        out.append('"');
        out.append(':');
        int width = tensor.valuesPerRow();
        boolean array = tensor.shape().length > 1;
        if (array) {
          out.append('[');
        }
        for (int k = 0; k < width; k++) {
          if (k > 0) {
            out.append(',');
          }
          JsonBytes.number(out, scores.outputs().get(t), row * width + k);
        }
        if (array) {
          out.append(']');
        }
      }
      out.append('}');
    }
    out.write(suffix);
    return new Reply(200, out.toByteArray(), Reply.JSON, null);
  }

  private static final byte[] PREFIX = ascii("{\"predictions\":[");

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
