package dev.inferops.app.model.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;

/**
 * ONNX Runtime's own {@code run}, in this process and with no HTTP: the most rows per second the
 * server can hope for with a model. {@code hack/bench-models.sh} runs it; it is not a test.
 *
 * <pre>
 * java -cp inference-app.jar:target/test-classes dev.inferops.app.model.onnx.OnnxRunBench \
 *     MODEL.onnx [WARM-UP SECONDS] [SECONDS PER POINT]
 * </pre>
 *
 * <p>The session has the server's options (one intra-op and one inter-op thread), and 1, then 2
 * Java threads call {@code run} on that one session, as the server's event loops do. Each call
 * fills a direct buffer from a float array, runs over it and copies every output out, as a request
 * must ({@code ort}). Then the same through the server's own scoring, {@link OnnxModel#predict} on
 * double rows ({@code model}). The rows are the first row of heart.csv, the one the HTTP benchmark
 * sends. One line per point:
 *
 * <pre>
 * RESULT ort|model threads rows-per-call calls/s rows/s p50-ms p99-ms
 * </pre>
 */
public final class OnnxRunBench {
  private static final float[] ROW = {63, 1, 3, 145, 233, 1, 0, 150, 0, 2.3f, 0, 0, 1};
  private static final String[] PATHS = {"ort", "model"};
  private static final int[] BATCHES = {1, 100};
  private static final int[] THREADS = {1, 2};

  /** Per thread, call latencies kept for the percentiles; later calls are counted only. */
  private static final int LATENCIES = 1 << 21;

  private OnnxRunBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: OnnxRunBench MODEL.onnx [warm-up seconds] [seconds per point]");
      System.exit(2);
    }
    Path model = Path.of(args[0]);
    double warmUp = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 3;
    OrtEnvironment env =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "inference-app");
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      try (OrtSession session = env.createSession(model.toString(), options)) {
        String input = session.getInputNames().iterator().next();
        long width = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape()[1];
        if (width != ROW.length) {
          throw new IllegalArgumentException(
              model + ": input '" + input + "' has " + width + " columns, not " + ROW.length);
        }
        OnnxModel served = OnnxModel.load(model, 512);
        for (String path : PATHS) {
          for (int batch : BATCHES) {
            measure(work(path, env, session, input, served, batch), 2, warmUp / 4);
          }
        }
        for (String path : PATHS) {
          for (int batch : BATCHES) {
            for (int threads : THREADS) {
              Point p = measure(work(path, env, session, input, served, batch), threads, seconds);
              System.out.printf(
                  Locale.ROOT,
                  "RESULT %s %d %d %.1f %.1f %.4f %.4f%n",
                  path,
                  threads,
                  batch,
                  p.calls / seconds,
                  p.calls * batch / seconds,
                  p.p50Ms,
                  p.p99Ms);
            }
          }
        }
      }
    }
  }

  /** What one call does. */
  private interface Work {
    void call() throws Exception;
  }

  /**
   * {@code ort}: ONNX Runtime's run, the input tensor made from floats and every output copied out;
   * {@code model}: the server's scoring, {@link OnnxModel#predict} on double rows.
   */
  private static Work work(
      String path,
      OrtEnvironment env,
      OrtSession session,
      String input,
      OnnxModel served,
      int batch) {
    float[] values = new float[batch * ROW.length];
    double[][] rows = new double[batch][ROW.length];
    for (int r = 0; r < batch; r++) {
      System.arraycopy(ROW, 0, values, r * ROW.length, ROW.length);
      for (int c = 0; c < ROW.length; c++) {
        rows[r][c] = ROW[c];
      }
    }
    long[] shape = {batch, ROW.length};
    return "ort".equals(path)
        ? () -> call(env, session, input, values, shape)
        : () -> served.predict(rows);
  }

  private record Point(long calls, double p50Ms, double p99Ms) {}

  private static Point measure(Work work, int threads, double seconds) throws Exception {
    CyclicBarrier start = new CyclicBarrier(threads);
    long[] calls = new long[threads];
    int[][] latencies = new int[threads][LATENCIES];
    int[] kept = new int[threads];
    Exception[] failure = new Exception[threads];
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker =
          new Thread(
              () -> {
                try {
                  start.await();
                  long deadline = System.nanoTime() + (long) (seconds * 1e9);
                  long n = 0;
                  int k = 0;
                  long now = System.nanoTime();
                  while (now < deadline) {
                    work.call();
                    long after = System.nanoTime();
                    if (k < LATENCIES) {
                      latencies[id][k++] = (int) Math.min(Integer.MAX_VALUE, after - now);
                    }
                    n++;
                    now = after;
                  }
                  calls[id] = n;
                  kept[id] = k;
                } catch (Exception e) {
                  failure[id] = e;
                }
              },
              "bench-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    for (Exception e : failure) {
      if (e != null) {
        throw e;
      }
    }
    int total = Arrays.stream(kept).sum();
    int[] all = new int[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(latencies[t], 0, all, at, kept[t]);
      at += kept[t];
    }
    Arrays.sort(all);
    return new Point(
        Arrays.stream(calls).sum(), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);
  }

  private static double percentile(int[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
  }

  // A direct buffer, which ONNX Runtime reads in place, filled anew for each call: the fastest
  // way in, so that this is the limit.
  private static final ThreadLocal<FloatBuffer> INPUT =
      ThreadLocal.withInitial(
          () -> ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder()).asFloatBuffer());

  /** One request's worth of work: the input tensor made, the model run, every output copied. */
  private static void call(
      OrtEnvironment env, OrtSession session, String input, float[] values, long[] shape)
      throws OrtException {
    FloatBuffer direct = INPUT.get().clear().put(values).flip();
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, direct, shape);
        OrtSession.Result result = session.run(Map.of(input, tensor))) {
      for (Map.Entry<String, OnnxValue> output : result) {
        copyOut((OnnxTensor) output.getValue());
      }
    }
  }

  /** As the server reads an output: its buffer copied into one flat array. */
  private static Object copyOut(OnnxTensor tensor) {
    if (tensor.getInfo().type == OnnxJavaType.INT64) {
      LongBuffer b = tensor.getLongBuffer();
      long[] out = new long[b.remaining()];
      b.get(out);
      return out;
    }
    FloatBuffer b = tensor.getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }
}
