package dev.inferops.app.model.onnx;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.SequenceInfo;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ONNX Runtime's errors as the one line a user reads in the pod's status. */
final class OnnxErrors {
  private static final Pattern OPSET = Pattern.compile("Opset (\\d+) is under development");
  private static final Pattern IR =
      Pattern.compile("Unsupported model IR version: (\\d+), max supported IR version: (\\d+)");
  // ONNX Runtime prefixes messages with its source file, line and C++ signature.
  private static final Pattern SOURCE_LOCATION =
      Pattern.compile("/onnxruntime_src/\\S+:\\d+ [^\\n]*?\\) ");

  private OnnxErrors() {}

  /** Why ONNX Runtime refused to load the file, and what to do. */
  static String onLoad(OrtException e) {
    String message = String.valueOf(e.getMessage());
    Matcher opset = OPSET.matcher(message);
    if (opset.find()) {
      return "uses opset "
          + opset.group(1)
          + ", newer than this ONNX Runtime supports; export with an older target_opset (e.g. 17)";
    }
    Matcher ir = IR.matcher(message);
    if (ir.find()) {
      return "has IR version "
          + ir.group(1)
          + ", newer than this ONNX Runtime supports ("
          + ir.group(2)
          + "); export with an older onnx package or target_opset";
    }
    if (message.contains("Protobuf parsing failed") || message.contains("No graph was found")) {
      return "is not an ONNX model (the file does not parse); check that the file is complete and"
          + " was written by an ONNX exporter";
    }
    return "ONNX Runtime cannot load it: " + firstLine(e);
  }

  static String firstLine(OrtException e) {
    String message = SOURCE_LOCATION.matcher(String.valueOf(e.getMessage())).replaceAll("");
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  /** What a non-tensor value is, for the message that refuses it. */
  static String kind(NodeInfo node) {
    if (node.getInfo() instanceof SequenceInfo s) {
      return s.isSequenceOfMaps() ? "a sequence of maps" : "a sequence";
    }
    if (node.getInfo() instanceof MapInfo) {
      return "a map";
    }
    return "not a tensor (" + node.getInfo() + ")";
  }

  static String shape(long[] shape) {
    return Arrays.toString(shape).replace("-1", "None");
  }
}
