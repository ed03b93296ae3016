package io.airgap.inference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for the tests: the protobuf wire format of {@code onnx.ModelProto}
 * (field numbers from onnx/onnx.proto), enough for graphs of standard operators with initializers
 * and typed, possibly symbolic, input and output shapes.
 */
final class OnnxModels {
  /** ONNX element types (TensorProto.DataType). */
  static final int FLOAT = 1;

  static final int UINT8 = 2;
  static final int INT8 = 3;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int STRING = 8;
  static final int BOOL = 9;
  static final int FLOAT16 = 10;
  static final int DOUBLE = 11;

  private OnnxModels() {}

  /** A graph under construction. */
  static final class Graph {
    private final Proto graph = new Proto();
    private final List<String[]> metadata = new ArrayList<>();

    Graph(String name) {
      graph.string(2, name);
    }

    /** Adds a node: {@code op(inputs) -> outputs}. */
    Graph node(String op, String[] inputs, String... outputs) {
      Proto node = new Proto();
      for (String input : inputs) {
        node.string(1, input);
      }
      for (String output : outputs) {
        node.string(2, output);
      }
      node.string(3, op + "_" + outputs[0]);
      node.string(4, op);
      graph.message(1, node);
      return this;
    }

    /** Adds a float initializer. */
    Graph floats(String name, long[] dims, float... values) {
      Proto tensor = tensor(name, dims, FLOAT);
      ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        raw.putFloat(v);
      }
      tensor.bytes(9, raw.array());
      graph.message(5, tensor);
      return this;
    }

    /** Adds an int64 initializer. */
    Graph longs(String name, long[] dims, long... values) {
      Proto tensor = tensor(name, dims, INT64);
      ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
      for (long v : values) {
        raw.putLong(v);
      }
      tensor.bytes(9, raw.array());
      graph.message(5, tensor);
      return this;
    }

    private static Proto tensor(String name, long[] dims, int type) {
      Proto tensor = new Proto();
      for (long d : dims) {
        tensor.varint(1, d);
      }
      tensor.varint(2, type);
      tensor.string(8, name);
      return tensor;
    }

    /**
     * Declares a graph input; a dimension is a {@code Long} (fixed) or a {@code String} (symbolic).
     */
    Graph input(String name, int type, Object... dims) {
      graph.message(11, valueInfo(name, type, dims));
      return this;
    }

    /** Declares a graph output. */
    Graph output(String name, int type, Object... dims) {
      graph.message(12, valueInfo(name, type, dims));
      return this;
    }

    /** Adds a metadata property. */
    Graph metadata(String key, String value) {
      metadata.add(new String[] {key, value});
      return this;
    }

    private static Proto valueInfo(String name, int type, Object[] dims) {
      Proto shape = new Proto();
      for (Object dim : dims) {
        Proto dimension = new Proto();
        if (dim instanceof String symbol) {
          dimension.string(2, symbol);
        } else {
          dimension.varint(1, ((Number) dim).longValue());
        }
        shape.message(1, dimension);
      }
      Proto tensorType = new Proto();
      tensorType.varint(1, type);
      tensorType.message(2, shape);
      Proto typeProto = new Proto();
      typeProto.message(1, tensorType);
      Proto info = new Proto();
      info.string(1, name);
      info.message(2, typeProto);
      return info;
    }

    /** The serialized ModelProto: IR version 8, default domain at opset 17. */
    byte[] toBytes() {
      Proto model = new Proto();
      model.varint(1, 8);
      model.string(2, "airgap-tests");
      model.string(3, "1");
      model.varint(5, 1);
      model.message(7, graph);
      Proto opset = new Proto();
      opset.string(1, "");
      opset.varint(2, 17);
      model.message(8, opset);
      for (String[] entry : metadata) {
        Proto property = new Proto();
        property.string(1, entry[0]);
        property.string(2, entry[1]);
        model.message(14, property);
      }
      return model.bytes();
    }
  }

  /** A two-layer perceptron: y = relu(x W1 + b1) W2 + b2, x [batch, 4] -> y [batch, 3]. */
  static byte[] mlp() {
    return new Graph("mlp")
        .input("x", FLOAT, "batch", 4L)
        .output("y", FLOAT, "batch", 3L)
        .floats("w1", new long[] {4, 2}, 1, -1, 2, 0, 0, 1, -1, 3)
        .floats("b1", new long[] {2}, 0.5f, -0.5f)
        .floats("w2", new long[] {2, 3}, 1, 2, 3, -1, 0, 1)
        .floats("b2", new long[] {3}, 0, 0.25f, -0.25f)
        .node("MatMul", new String[] {"x", "w1"}, "h0")
        .node("Add", new String[] {"h0", "b1"}, "h1")
        .node("Relu", new String[] {"h1"}, "h")
        .node("MatMul", new String[] {"h", "w2"}, "y0")
        .node("Add", new String[] {"y0", "b2"}, "y")
        .metadata("task", "test-mlp")
        .toBytes();
  }

  /** The MLP's output for one row, computed in Java, for checking the runtime. */
  static float[] mlpExpected(float[] x) {
    float[][] w1 = {{1, -1}, {2, 0}, {0, 1}, {-1, 3}};
    float[] b1 = {0.5f, -0.5f};
    float[][] w2 = {{1, 2, 3}, {-1, 0, 1}};
    float[] b2 = {0, 0.25f, -0.25f};
    float[] h = new float[2];
    for (int j = 0; j < 2; j++) {
      float sum = b1[j];
      for (int i = 0; i < 4; i++) {
        sum += x[i] * w1[i][j];
      }
      h[j] = Math.max(0, sum);
    }
    float[] y = new float[3];
    for (int k = 0; k < 3; k++) {
      y[k] = b2[k] + h[0] * w2[0][k] + h[1] * w2[1][k];
    }
    return y;
  }

  /** Two inputs, two outputs: sum = a + b, product = a * b, all [batch, 2] floats. */
  static byte[] twoInTwoOut() {
    return new Graph("pair")
        .input("a", FLOAT, "batch", 2L)
        .input("b", FLOAT, "batch", 2L)
        .output("sum", FLOAT, "batch", 2L)
        .output("product", FLOAT, "batch", 2L)
        .node("Add", new String[] {"a", "b"}, "sum")
        .node("Mul", new String[] {"a", "b"}, "product")
        .toBytes();
  }

  /** int64 and bool inputs: kept = where(mask, ids, 0), dropped = not(mask), both [n]. */
  static byte[] int64AndBool() {
    return new Graph("mask")
        .input("ids", INT64, "n")
        .input("mask", BOOL, "n")
        .output("kept", INT64, "n")
        .output("dropped", BOOL, "n")
        .longs("zero", new long[] {}, 0)
        .node("Where", new String[] {"mask", "ids", "zero"}, "kept")
        .node("Not", new String[] {"mask"}, "dropped")
        .toBytes();
  }

  /** A fixed shape, no batch dimension: x [1, 4] float -> y = x + x. */
  static byte[] fixedShape() {
    return new Graph("fixed")
        .input("x", FLOAT, 1L, 4L)
        .output("y", FLOAT, 1L, 4L)
        .node("Add", new String[] {"x", "x"}, "y")
        .toBytes();
  }

  /** One Identity per element type, input {@code in_T} to output {@code out_T}, shape [n]. */
  static byte[] identities() {
    Graph graph = new Graph("identities");
    String[] names = {
      "float", "double", "int8", "uint8", "int32", "int64", "bool", "string", "f16"
    };
    int[] types = {FLOAT, DOUBLE, INT8, UINT8, INT32, INT64, BOOL, STRING, FLOAT16};
    for (int i = 0; i < names.length; i++) {
      graph.input("in_" + names[i], types[i], "n");
      graph.output("out_" + names[i], types[i], "n");
      graph.node("Identity", new String[] {"in_" + names[i]}, "out_" + names[i]);
    }
    return graph.toBytes();
  }

  /** Protobuf wire-format writer: varints and length-delimited fields. */
  private static final class Proto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      tag(field, 0);
      raw(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void bytes(int field, byte[] value) {
      tag(field, 2);
      raw(value.length);
      out.writeBytes(value);
    }

    void message(int field, Proto message) {
      bytes(field, message.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      raw(((long) field << 3) | wireType);
    }

    private void raw(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) ((value & 0x7F) | 0x80));
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
