package dev.inferops.app.protocol.v2;

import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.inferops.app.json.JsonBytes;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.Scores;
import dev.inferops.app.routing.Reply;
import java.util.List;

/**
 * The {@code infer} answer, {@code {"model_name", "model_version", "id", "outputs": [{"name",
 * "datatype", "shape", "data"} ...]}} with the id left out when the request had none, written as
 * bytes as the mapper would write it: only the id and the numbers change, and a 100-row answer
 * through the mapper cost more than the forest that scored it.
 */
final class InferResponseJson {
  private final byte[] head;
  private final byte[][] outputHeads;

  InferResponseJson(String modelName, String modelVersion, List<ModelDescription.Tensor> outputs) {
    ByteArrayBuilder b = new ByteArrayBuilder();
    JsonBytes.ascii(b, "{\"model_name\":");
    JsonBytes.string(b, modelName);
    JsonBytes.ascii(b, ",\"model_version\":");
    JsonBytes.string(b, modelVersion);
    this.head = b.toByteArray();
    this.outputHeads = new byte[outputs.size()][];
    for (int t = 0; t < outputs.size(); t++) {
      ModelDescription.Tensor tensor = outputs.get(t);
      ByteArrayBuilder o = new ByteArrayBuilder();
      JsonBytes.ascii(o, "{\"name\":");
      JsonBytes.string(o, tensor.name());
      JsonBytes.ascii(o, ",\"datatype\":");
      JsonBytes.string(o, tensor.datatype());
      JsonBytes.ascii(o, ",\"shape\":[");
      outputHeads[t] = o.toByteArray();
    }
  }

  /**
   * @param wanted indexed like the description's outputs; null for all of them
   */
  Reply reply(String id, List<ModelDescription.Tensor> tensors, Scores scores, boolean[] wanted) {
    int values = 0;
    for (ModelDescription.Tensor t : tensors) {
      values += t.valuesPerRow() * scores.rows();
    }
    ByteArrayBuilder out = new ByteArrayBuilder(head.length + 96 * tensors.size() + 12 * values);
    out.write(head);
    if (id != null) {
      JsonBytes.ascii(out, ",\"id\":");
      JsonBytes.string(out, id);
    }
    JsonBytes.ascii(out, ",\"outputs\":[");
    boolean first = true;
    for (int t = 0; t < tensors.size(); t++) {
      if (wanted != null && !wanted[t]) {
        continue;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      out.write(outputHeads[t]);
      long[] shape = tensors.get(t).shape();
      JsonBytes.ascii(out, Integer.toString(scores.rows()));
      for (int d = 1; d < shape.length; d++) {
        out.append(',');
        JsonBytes.ascii(out, Long.toString(shape[d]));
      }
      JsonBytes.ascii(out, "],\"data\":[");
      Object data = scores.outputs().get(t);
      int n = tensors.get(t).valuesPerRow() * scores.rows();
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          out.append(',');
        }
        JsonBytes.number(out, data, i);
      }
      JsonBytes.ascii(out, "]}");
    }
    JsonBytes.ascii(out, "]}");
    return new Reply(200, out.toByteArray(), Reply.JSON, null);
  }
}
