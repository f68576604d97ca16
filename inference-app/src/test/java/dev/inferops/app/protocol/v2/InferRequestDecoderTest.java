package dev.inferops.app.protocol.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.inferops.app.Fixtures;
import dev.inferops.app.model.LogisticRegressionModel;
import dev.inferops.app.routing.ApiException;
import dev.inferops.app.routing.Request;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming decode of usual requests must agree with the tree's decode, which words every
 * error: whatever the stream accepts, the tree accepts as the same request; whatever it declines,
 * the tree decides.
 */
class InferRequestDecoderTest {
  private static final String MODEL = "heart";
  private static final String VERSION = "1.0.0";
  private static final String INPUT = LogisticRegressionModel.DESCRIPTION.input().name();

  private final InferRequestDecoder decoder =
      new InferRequestDecoder(LogisticRegressionModel.DESCRIPTION);

  private static String row() {
    return DoubleStream.of(Fixtures.patientRow())
        .mapToObj(Double::toString)
        .collect(Collectors.joining(","));
  }

  private static String body(String datatype, String shape, String data, String extra) {
    return request(datatype, shape, "\"data\":" + data, extra);
  }

  /** A request whose one input has the values field given, after the request's extra fields. */
  private static String request(String datatype, String shape, String values, String extra) {
    return "{"
        + extra
        + "\"inputs\":[{\"name\":\""
        + INPUT
        + "\",\"datatype\":\""
        + datatype
        + "\",\"shape\":"
        + shape
        + ","
        + values
        + "}]}";
  }

  private InferRequestDecoder.InferRequest fast(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return decoder.fastDecode(bytes, bytes.length, bytes.length, MODEL, VERSION);
  }

  private InferRequestDecoder.InferRequest tree(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return decoder.treeDecode(
        new Request("POST", "/v2/models/heart/infer", bytes, bytes.length), MODEL, VERSION);
  }

  private void assertSameAsTree(String body) {
    InferRequestDecoder.InferRequest streamed = fast(body);
    assertThat(streamed).as("streamed %s", body).isNotNull();
    InferRequestDecoder.InferRequest expected = tree(body);
    assertThat(streamed.id()).isEqualTo(expected.id());
    assertThat(streamed.rows()).isDeepEqualTo(expected.rows());
    assertThat(streamed.wantedOutputs()).isEqualTo(expected.wantedOutputs());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FP64|[1,13]|[R]|",
        "FP32|[1,13]|[R]|",
        "FP64|[2,13]|[R,R]|",
        "FP64|[2,13]|[[R],[R]]|",
        "FP32|[3,13]|[[R],[R],[R]]|\"id\":\"ünïcode \\\"quoted\\\"\",",
        "FP64|[1,13]|[R]|\"model_name\":\"heart\",\"model_version\":\"1.0.0\",\"parameters\":{},",
        "FP64|[1,13]|[R]|\"outputs\":[{\"name\":\"probability\"}],",
        "FP64|[1,13]|[R]|\"outputs\":[],",
      })
  void streamsUsualRequestsAsTheTreeDecodesThem(String spec) {
    String[] p = spec.split("\\|", -1);
    assertSameAsTree(body(p[0], p[1], p[2].replace("R", row()), p[3]));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "FP64|[2,13]|[R]|", // fewer values than the shape
        "FP64|[1,13]|[R,1]|", // more
        "FP64|[1,12]|[R]|", // the wrong width
        "FP64|[0,13]|[]|",
        "FP64|[1001,13]|[R]|", // more rows than a batch may have
        "FP16|[1,13]|[R]|",
        "FP64|[2,13]|[[R],R]|", // nested, then flat
        "FP64|[2,13]|[R,[R]]|",
        "FP64|[1,13]|[[R,1]]|",
        "FP64|[1,13]|[\"1\"]|",
        "FP64|[1,13]|[R]|\"model_name\":\"other\",",
        "FP64|[1,13]|[R]|\"id\":7,",
        "FP64|[1,13]|[R]|\"id\":\"a\",\"id\":\"b\",",
        "FP64|[1,13]|[R]|\"unknown\":1,",
        "FP64|[1,13]|[R]|\"parameters\":[],",
        "FP64|[1,13]|[R]|\"parameters\":{\"a\":1,\"a\":2},",
        "FP64|[1,13]|[R]|\"outputs\":[{\"name\":\"nope\"}],",
        "FP64|[1,13]|[R]|\"outputs\":{},",
      })
  void declinesWhatTheTreeRejects(String spec) {
    String[] p = spec.split("\\|", -1);
    String body = body(p[0], p[1], p[2].replace("R", row()), p[3]);
    assertThat(fast(body)).as("streamed %s", body).isNull();
    assertThat(catchThrowableOfType(ApiException.class, () -> tree(body)))
        .as("tree %s", body)
        .isNotNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "999", // age above its column's range
        "1e400", // infinite once parsed
        "123456789012345678901234567890", // a BigInteger
      })
  void declinesValuesTheColumnRefusesOrTheTreeReadsOtherwise(String age) {
    String body = body("FP32", "[1,13]", "[" + row().replaceFirst("^[^,]+", age) + "]", "");
    assertThat(fast(body)).isNull();
  }

  /**
   * Random edits of a valid body, a bounded number: never may the stream accept a body the tree
   * rejects, nor decode one differently.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void neverDisagreesWithTheTreeOnEditedBodies(long seed) {
    Random random = new Random(seed);
    String valid = body("FP32", "[2,13]", "[[" + row() + "],[" + row() + "]]", "\"id\":\"x\",");
    String alphabet = "{}[],:\"0123456789.-eE FP ";
    int accepted = 0;
    for (int i = 0; i < 2_000; i++) {
      char[] chars = valid.toCharArray();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        chars[random.nextInt(chars.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
      }
      String body = new String(chars);
      if (fast(body) != null) {
        accepted++;
        assertSameAsTree(body);
      }
    }
    // Edits inside numbers keep many bodies valid: the comparison above must have run.
    assertThat(accepted).isGreaterThan(50);
  }

  /** A JSON part, then {@code rows} copies of the patient as little-endian binary data. */
  private static Request binary(String json, String datatype, int rows, int extraBytes) {
    byte[] head = json.getBytes(StandardCharsets.UTF_8);
    int size = datatype.equals("FP32") ? Float.BYTES : Double.BYTES;
    ByteBuffer body =
        ByteBuffer.allocate(head.length + rows * 13 * size + extraBytes)
            .order(ByteOrder.LITTLE_ENDIAN)
            .put(head);
    for (int r = 0; r < rows; r++) {
      for (double v : Fixtures.patientRow()) {
        if (size == Float.BYTES) {
          body.putFloat((float) v);
        } else {
          body.putDouble(v);
        }
      }
    }
    return new Request(
        "POST", "/v2/models/heart/infer", body.array(), body.capacity(), "" + head.length);
  }

  private static String binaryJson(String datatype, int rows, long size, String parameters) {
    return request(
        datatype,
        "[" + rows + ",13]",
        "\"parameters\":{\"binary_data_size\":" + size + parameters + "}",
        "");
  }

  private InferRequestDecoder.InferRequest fast(Request request) {
    return decoder.fastDecode(
        request.body(),
        Integer.parseInt(request.inferenceHeaderLength()),
        request.length(),
        MODEL,
        VERSION);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FP32", "FP64"})
  void streamsBinaryTensorDataAsTheTreeDecodesIt(String datatype) {
    int size = datatype.equals("FP32") ? 4 : 8;
    Request request = binary(binaryJson(datatype, 3, 3 * 13 * size, ""), datatype, 3, 0);
    InferRequestDecoder.InferRequest streamed = fast(request);
    assertThat(streamed).isNotNull();
    assertThat(streamed.rows()).isDeepEqualTo(decoder.treeDecode(request, MODEL, VERSION).rows());
    assertThat(streamed.rows()[2]).containsExactly(as(datatype, Fixtures.patientRow()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "52|0|", // the size of one row for three
        "156|4|", // bytes left over after the input's
        "156|0|,\"content_type\":\"np\"", // a parameter the stream leaves to the tree
      })
  void leavesBinaryRequestsItDoesNotExpectToTheTree(String spec) {
    String[] p = spec.split("\\|", -1);
    Request request =
        binary(
            binaryJson("FP32", 3, Long.parseLong(p[0]), p[2]), "FP32", 3, Integer.parseInt(p[1]));
    assertThat(fast(request)).isNull();
    if (p[2].isEmpty()) {
      assertThat(
              catchThrowableOfType(
                  ApiException.class, () -> decoder.treeDecode(request, MODEL, VERSION)))
          .isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"FP32", "FP64"})
  void readsEveryValueOfABatchInRowMajorOrder(String datatype) {
    double[] one = Fixtures.patientRow();
    double[] other = one.clone();
    other[0] = 41.5;
    String data =
        Arrays.stream(new double[][] {one, other})
            .map(
                r -> DoubleStream.of(r).mapToObj(Double::toString).collect(Collectors.joining(",")))
            .collect(Collectors.joining(","));
    InferRequestDecoder.InferRequest in = fast(body(datatype, "[2,13]", "[" + data + "]", ""));
    assertThat(in.rows()[0]).containsExactly(as(datatype, one));
    assertThat(in.rows()[1]).containsExactly(as(datatype, other));
  }

  // An FP32 tensor's values are what the client's floats hold.
  private static double[] as(String datatype, double[] row) {
    return datatype.equals("FP64") ? row : DoubleStream.of(row).map(v -> (float) v).toArray();
  }
}
