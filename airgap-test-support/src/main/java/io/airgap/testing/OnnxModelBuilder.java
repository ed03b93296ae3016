package io.airgap.testing;

import io.airgap.inference.ElementType;
import io.airgap.inference.internal.OnnxGraph;
import java.util.Objects;

/**
 * Writes a tiny ONNX model in plain Java, for tests that need a real model without Python or a
 * download: standard operators, float or int64 initializers, typed inputs and outputs with fixed or
 * symbolic dimensions, metadata. The bytes are an ordinary {@code onnx.ModelProto} (IR version 8,
 * default domain at opset 17) that ONNX Runtime loads.
 *
 * <pre>{@code
 * byte[] onnx = OnnxModelBuilder.named("scale")
 *     .input("x", ElementType.FLOAT, "batch", 2)
 *     .output("y", ElementType.FLOAT, "batch", 2)
 *     .floats("k", new long[] {2}, 2f, 3f)
 *     .node("Mul", new String[] {"x", "k"}, "y")
 *     .build();
 * }</pre>
 *
 * <p>Not thread-safe: build each model on one thread.
 */
public final class OnnxModelBuilder {
  private final OnnxGraph graph;

  private OnnxModelBuilder(String name) {
    graph = new OnnxGraph(name);
  }

  /** A builder for a model whose graph is called {@code name}. */
  public static OnnxModelBuilder named(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("model name must not be null or empty");
    }
    return new OnnxModelBuilder(name);
  }

  /**
   * The smallest model every execution provider runs: {@code y = Identity(x)}, float {@code [n]}.
   */
  public static byte[] identity() {
    return OnnxGraph.identity();
  }

  /**
   * Declares a graph input.
   *
   * @param dims each an {@code Integer} or {@code Long} (a fixed size) or a {@code String} (a
   *     symbolic dimension such as {@code "batch"})
   */
  public OnnxModelBuilder input(String name, ElementType type, Object... dims) {
    graph.input(name, code(type), checked(dims, name));
    return this;
  }

  /** Declares a graph output; {@code dims} as for {@link #input}. */
  public OnnxModelBuilder output(String name, ElementType type, Object... dims) {
    graph.output(name, code(type), checked(dims, name));
    return this;
  }

  /** Adds a node {@code op(inputs) -> outputs} of the default ONNX domain. */
  public OnnxModelBuilder node(String op, String[] inputs, String... outputs) {
    if (outputs.length == 0) {
      throw new IllegalArgumentException("node " + op + " needs at least one output");
    }
    graph.node(op, inputs, outputs);
    return this;
  }

  /** Adds a float initializer (a constant tensor) of shape {@code dims}. */
  public OnnxModelBuilder floats(String name, long[] dims, float... values) {
    requireCount(name, dims, values.length);
    graph.floats(name, dims, values);
    return this;
  }

  /** Adds an int64 initializer of shape {@code dims}. */
  public OnnxModelBuilder longs(String name, long[] dims, long... values) {
    requireCount(name, dims, values.length);
    graph.longs(name, dims, values);
    return this;
  }

  /** Adds a metadata property, which ONNX Runtime reports as custom metadata. */
  public OnnxModelBuilder metadata(String key, String value) {
    graph.metadata(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /** The serialized model. */
  public byte[] build() {
    return graph.toBytes();
  }

  private static int code(ElementType type) {
    switch (Objects.requireNonNull(type, "type")) {
      case FLOAT:
        return OnnxGraph.FLOAT;
      case DOUBLE:
        return OnnxGraph.DOUBLE;
      case INT8:
        return OnnxGraph.INT8;
      case UINT8:
        return OnnxGraph.UINT8;
      case INT32:
        return OnnxGraph.INT32;
      case INT64:
        return OnnxGraph.INT64;
      case BOOL:
        return OnnxGraph.BOOL;
      case STRING:
        return OnnxGraph.STRING;
      case FLOAT16:
        return OnnxGraph.FLOAT16;
      default:
        throw new IllegalArgumentException("no ONNX element type for " + type);
    }
  }

  private static Object[] checked(Object[] dims, String name) {
    Object[] out = new Object[dims.length];
    for (int i = 0; i < dims.length; i++) {
      Object dim = dims[i];
      if (dim instanceof Integer || dim instanceof Long) {
        long size = ((Number) dim).longValue();
        if (size < 0) {
          throw new IllegalArgumentException(
              "dimension " + i + " of " + name + " is negative: " + size);
        }
        out[i] = size;
      } else if (dim instanceof String symbol && !symbol.isEmpty()) {
        out[i] = symbol;
      } else {
        throw new IllegalArgumentException(
            "dimension " + i + " of " + name + " must be a size or a symbol, got " + dim);
      }
    }
    return out;
  }

  private static void requireCount(String name, long[] dims, int count) {
    long expected = 1;
    for (long d : dims) {
      expected *= d;
    }
    if (expected != count) {
      throw new IllegalArgumentException(
          "initializer " + name + " has " + count + " values for " + expected + " elements");
    }
  }
}
