package dev.inferops.app.model.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import dev.inferops.app.model.Model;
import dev.inferops.app.model.ModelDescription;
import dev.inferops.app.model.ModelDescription.Column;
import dev.inferops.app.model.ModelDescription.Tensor;
import dev.inferops.app.model.Scores;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A user's model in the ONNX format, as scikit-learn, XGBoost, LightGBM and PyTorch export it,
 * scored by ONNX Runtime. It takes one tensor input of rows, {@code [N, features]}, FP32 or FP64,
 * and gives tensor outputs with the batch first: a classifier its INT64 label and its class
 * probabilities, a regressor its values. Everything else is refused at load with one line naming
 * the file and the fix, and a model is served only once it answered one prediction of the shape it
 * declares.
 */
public final class OnnxModel implements Model {
  /** The V2 metadata's platform, as KServe and Triton name this runtime. */
  public static final String PLATFORM = "onnxruntime_onnx";

  private final String name;
  private final String version;
  private final String source;
  private final ModelDescription description;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String inputName;
  private final boolean doubleInput;
  private final int width;
  private final List<String> outputNames;

  private OnnxModel(
      String name,
      String version,
      String source,
      ModelDescription description,
      OrtEnvironment env,
      OrtSession session,
      boolean doubleInput) {
    this.name = name;
    this.version = version;
    this.source = source;
    this.description = description;
    this.env = env;
    this.session = session;
    this.inputName = description.input().name();
    this.doubleInput = doubleInput;
    this.width = description.width();
    this.outputNames = description.outputs().stream().map(Tensor::name).toList();
  }

  /**
   * Loads, checks and warms up a model file.
   *
   * @param maxMb files larger than this many MiB are refused before they are read
   * @throws ModelException naming the file and what to do
   */
  public static OnnxModel load(Path path, int maxMb) {
    String prefix = "ONNX model " + path + ": ";
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > (long) maxMb << 20) {
        throw new ModelException(
            prefix
                + "is "
                + size
                + " bytes, more than MODEL_MAX_MB ("
                + maxMb
                + " MiB); raise the limit if the pod has the memory for it");
      }
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new ModelException("model file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new ModelException("cannot read model file " + path + ": " + e, e);
    }
    return load(bytes, path.toString());
  }

  static OnnxModel load(byte[] bytes, String source) {
    String prefix = "ONNX model " + source + ": ";
    OrtEnvironment env =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "inference-app");
    OrtSession session;
    try (SessionOptions options = new SessionOptions()) {
      // The server's event loops run requests side by side; a pool per request would only
      // contend with them for the pod's cores.
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      session = env.createSession(bytes, options);
    } catch (OrtException e) {
      throw new ModelException(prefix + OnnxErrors.onLoad(e));
    }
    try {
      Signature signature = Signature.of(session, prefix);
      List<Tensor> outputs = signature.answerOneRow(env, session, prefix);
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      String name = OnnxNames.name(session.getMetadata().getGraphName(), source);
      String version = OnnxNames.version(metadata.get("model_version"), sha256(bytes));
      ModelDescription description =
          new ModelDescription(
              PLATFORM,
              signature.input(),
              columns(metadata.get("feature_names"), signature.width(), prefix),
              outputs,
              signature.labelOutput());
      return new OnnxModel(
          name, version, source, description, env, session, signature.doubleInput());
    } catch (OrtException e) {
      closeQuietly(session);
      throw new ModelException(prefix + OnnxErrors.firstLine(e));
    } catch (ModelException e) {
      closeQuietly(session);
      throw e;
    }
  }

  private static List<Column> columns(String featureNames, int width, String prefix) {
    List<Column> columns = new ArrayList<>(width);
    if (featureNames == null || featureNames.isBlank()) {
      for (int i = 0; i < width; i++) {
        columns.add(Column.unbounded("x" + i));
      }
      return columns;
    }
    String[] names = featureNames.split(",", -1);
    if (names.length != width) {
      throw new ModelException(
          prefix
              + "metadata feature_names lists "
              + names.length
              + " names but the input has "
              + width
              + " columns");
    }
    for (String n : names) {
      if (!OnnxNames.isPlain(n.strip())) {
        throw new ModelException(
            prefix + "metadata feature_names has '" + n + "'; use letters, digits, '_', '.', '-'");
      }
      if (columns.stream().anyMatch(c -> c.name().equals(n.strip()))) {
        throw new ModelException(prefix + "metadata feature_names lists '" + n + "' twice");
      }
      columns.add(Column.unbounded(n.strip()));
    }
    return columns;
  }

  @Override
  public Scores predict(double[][] rows) {
    try {
      return run(rows);
    } catch (OrtException e) {
      // The rows were checked against the description, so this is the model's fault.
      throw new IllegalStateException("ONNX Runtime failed on a checked batch: " + e.getMessage());
    }
  }

  private Scores run(double[][] rows) throws OrtException {
    return run(env, session, inputName, doubleInput, outputNames, rows);
  }

  private static Scores run(
      OrtEnvironment env,
      OrtSession session,
      String inputName,
      boolean doubleInput,
      List<String> outputNames,
      double[][] rows)
      throws OrtException {
    int width = rows[0].length;
    long[] shape = {rows.length, width};
    try (OnnxTensor input = inputTensor(env, rows, width, doubleInput, shape);
        OrtSession.Result result = session.run(Map.of(inputName, input))) {
      List<Object> outputs = new ArrayList<>(outputNames.size());
      for (String output : outputNames) {
        OnnxValue value = result.get(output).orElseThrow();
        outputs.add(values((OnnxTensor) value));
      }
      return new Scores(rows.length, outputs);
    }
  }

  private static OnnxTensor inputTensor(
      OrtEnvironment env, double[][] rows, int width, boolean doubleInput, long[] shape)
      throws OrtException {
    ByteBuffer bytes =
        inputBuffer(rows.length * width * (doubleInput ? Double.BYTES : Float.BYTES));
    if (doubleInput) {
      DoubleBuffer buffer = bytes.asDoubleBuffer();
      for (double[] row : rows) {
        buffer.put(row);
      }
      return OnnxTensor.createTensor(env, buffer.flip(), shape);
    }
    FloatBuffer buffer = bytes.asFloatBuffer();
    for (double[] row : rows) {
      for (double v : row) {
        buffer.put((float) v);
      }
    }
    return OnnxTensor.createTensor(env, buffer.flip(), shape);
  }

  // ONNX Runtime reads a direct buffer in place but copies a heap one into a new direct buffer at
  // every call, which cost a one-row prediction more than the forest. Each thread keeps one for
  // the batches it scores, up to a size that no thread's keeping could make a memory problem; the
  // tensor over it is closed before the thread scores again.
  private static final int KEPT_INPUT_BYTES = 64 << 10;
  private static final ThreadLocal<ByteBuffer> KEPT_INPUT =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(KEPT_INPUT_BYTES).order(ByteOrder.nativeOrder()));

  private static ByteBuffer inputBuffer(int size) {
    if (size > KEPT_INPUT_BYTES) {
      return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }
    ByteBuffer kept = KEPT_INPUT.get();
    kept.clear().limit(size);
    return kept;
  }

  private static int length(Object values) {
    if (values instanceof long[] l) {
      return l.length;
    }
    return values instanceof float[] f ? f.length : ((double[]) values).length;
  }

  private static Object values(OnnxTensor tensor) {
    OnnxJavaType type = tensor.getInfo().type;
    if (type == OnnxJavaType.INT64) {
      LongBuffer b = tensor.getLongBuffer();
      long[] out = new long[b.remaining()];
      b.get(out);
      return out;
    }
    if (type == OnnxJavaType.DOUBLE) {
      DoubleBuffer b = tensor.getDoubleBuffer();
      double[] out = new double[b.remaining()];
      b.get(out);
      return out;
    }
    FloatBuffer b = tensor.getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // Nothing more to release; the load's own error is the one to report.
    }
  }

  @Override
  public ModelDescription description() {
    return description;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public String source() {
    return source;
  }

  /** The model's one input and its outputs, checked to be what the server can serve. */
  private record Signature(
      Tensor input, int width, boolean doubleInput, List<Tensor> outputs, int labelOutput) {

    static Signature of(OrtSession session, String prefix) throws OrtException {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      if (inputs.size() != 1) {
        throw new ModelException(
            prefix
                + "has "
                + inputs.size()
                + " inputs "
                + inputs.keySet()
                + "; export it with one [N, features] tensor input (skl2onnx: initial_types="
                + "[('input', FloatTensorType([None, features]))])");
      }
      NodeInfo in = inputs.values().iterator().next();
      if (!(in.getInfo() instanceof TensorInfo info)) {
        throw new ModelException(
            prefix
                + "input '"
                + in.getName()
                + "' is "
                + OnnxErrors.kind(in)
                + ", not a tensor; export it with one [N, features] tensor input");
      }
      long[] shape = info.getShape();
      boolean doubleInput = info.type == OnnxJavaType.DOUBLE;
      if (!doubleInput && info.type != OnnxJavaType.FLOAT) {
        throw new ModelException(
            prefix
                + "input '"
                + in.getName()
                + "' holds "
                + info.type
                + "; only FLOAT or DOUBLE inputs of numbers are served");
      }
      if (shape.length != 2 || shape[1] < 1 || shape[0] != -1) {
        throw new ModelException(
            prefix
                + "input '"
                + in.getName()
                + "' has shape "
                + OnnxErrors.shape(shape)
                + "; it must be [N, features]: a dynamic batch first (None in skl2onnx,"
                + " dynamic_axes in torch.onnx.export) and a fixed number of features");
      }
      int width = (int) shape[1];
      Tensor input =
          new Tensor(in.getName(), doubleInput ? "FP64" : "FP32", new long[] {-1, width});
      List<Tensor> outputs = new ArrayList<>();
      int labelOutput = -1;
      for (NodeInfo out : session.getOutputInfo().values()) {
        if (!(out.getInfo() instanceof TensorInfo o)) {
          throw new ModelException(
              prefix
                  + "output '"
                  + out.getName()
                  + "' is "
                  + OnnxErrors.kind(out)
                  + ", not a tensor; export classifiers with zipmap=False (skl2onnx:"
                  + " options={id(model): {'zipmap': False}})");
        }
        String datatype =
            switch (o.type) {
              case INT64 -> "INT64";
              case FLOAT -> "FP32";
              case DOUBLE -> "FP64";
              default ->
                  throw new ModelException(
                      prefix
                          + "output '"
                          + out.getName()
                          + "' holds "
                          + o.type
                          + "; only INT64, FLOAT and DOUBLE outputs are served (train with"
                          + " integer class labels)");
            };
        long[] outShape = o.getShape();
        if (outShape.length < 1 || outShape.length > 2 || outShape[0] != -1) {
          throw new ModelException(
              prefix
                  + "output '"
                  + out.getName()
                  + "' has shape "
                  + OnnxErrors.shape(outShape)
                  + "; outputs must be [N] or [N, k] with a dynamic batch first");
        }
        long[] served = outShape.clone();
        if (!OnnxNames.isPlain(out.getName())) {
          throw new ModelException(
              prefix
                  + "output name '"
                  + out.getName()
                  + "' must be letters, digits, '_', '.', '-'");
        }
        if (labelOutput < 0 && "INT64".equals(datatype) && served.length == 1) {
          labelOutput = outputs.size();
        }
        outputs.add(new Tensor(out.getName(), datatype, served));
      }
      if (outputs.isEmpty()) {
        throw new ModelException(prefix + "has no outputs; export the graph with its outputs");
      }
      return new Signature(input, width, doubleInput, outputs, labelOutput);
    }

    /**
     * Readiness must not lie: the model answers one row of its declared shape with as many values
     * per output as it declares, or it is not served. Exporters leave a class count symbolic at
     * times; the answer fixes it.
     */
    List<Tensor> answerOneRow(OrtEnvironment env, OrtSession session, String prefix)
        throws OrtException {
      List<String> names = outputs.stream().map(Tensor::name).toList();
      Scores one = run(env, session, input.name(), doubleInput, names, new double[1][width]);
      List<Tensor> fixed = new ArrayList<>(outputs.size());
      for (int t = 0; t < outputs.size(); t++) {
        Tensor declared = outputs.get(t);
        int got = length(one.outputs().get(t));
        long[] shape = declared.shape().clone();
        if (shape.length == 2 && shape[1] < 1) {
          shape[1] = got;
        }
        Tensor served = new Tensor(declared.name(), declared.datatype(), shape);
        if (got != served.valuesPerRow()) {
          throw new ModelException(
              prefix
                  + "output '"
                  + declared.name()
                  + "' gave "
                  + got
                  + " values for one row, but its shape says "
                  + served.valuesPerRow());
        }
        fixed.add(served);
      }
      return fixed;
    }
  }
}
