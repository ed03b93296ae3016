package io.airgap.inference.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models: the protobuf wire format of {@code onnx.ModelProto} (field numbers from
 * onnx/onnx.proto), enough for graphs of standard operators with initializers and typed, possibly
 * symbolic, input and output shapes. Used for the device probe of {@code airgap doctor} and by the
 * tests. Not thread-safe.
 */
public final class OnnxGraph {
  /** ONNX element types (TensorProto.DataType). */
  public static final int FLOAT = 1;

  public static final int UINT8 = 2;
  public static final int INT8 = 3;
  public static final int INT32 = 6;
  public static final int INT64 = 7;
  public static final int STRING = 8;
  public static final int BOOL = 9;
  public static final int FLOAT16 = 10;
  public static final int DOUBLE = 11;

  private final Proto graph = new Proto();
  private final List<String[]> metadata = new ArrayList<>();

  /** A new graph of that name. */
  public OnnxGraph(String name) {
    graph.string(2, name);
  }

  /** A one-node model, y = Identity(x) on float [n]: the smallest model every provider runs. */
  public static byte[] identity() {
    return new OnnxGraph("probe")
        .input("x", FLOAT, "n")
        .output("y", FLOAT, "n")
        .node("Identity", new String[] {"x"}, "y")
        .toBytes();
  }

  /** Adds a node: {@code op(inputs) -> outputs}. */
  public OnnxGraph node(String op, String[] inputs, String... outputs) {
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
  public OnnxGraph floats(String name, long[] dims, float... values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return initializer(name, dims, FLOAT, raw.array());
  }

  /** Adds an int64 initializer. */
  public OnnxGraph longs(String name, long[] dims, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return initializer(name, dims, INT64, raw.array());
  }

  /** A TensorProto with little-endian {@code raw_data}, added as a graph initializer. */
  private OnnxGraph initializer(String name, long[] dims, int type, byte[] raw) {
    Proto tensor = new Proto();
    for (long d : dims) {
      tensor.varint(1, d);
    }
    tensor.varint(2, type);
    tensor.string(8, name);
    tensor.bytes(9, raw);
    graph.message(5, tensor);
    return this;
  }

  /**
   * Declares a graph input; a dimension is a {@code Long} (fixed) or a {@code String} (symbolic).
   */
  public OnnxGraph input(String name, int type, Object... dims) {
    graph.message(11, valueInfo(name, type, dims));
    return this;
  }

  /** Declares a graph output. */
  public OnnxGraph output(String name, int type, Object... dims) {
    graph.message(12, valueInfo(name, type, dims));
    return this;
  }

  /** Adds a metadata property. */
  public OnnxGraph metadata(String key, String value) {
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
  public byte[] toBytes() {
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
