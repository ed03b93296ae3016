package io.airgap.testing;

import io.airgap.inference.ElementType;
import io.airgap.inference.internal.OnnxGraph;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

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
  private final String name;

  /** Every value name defined so far: inputs, initializers, node outputs (ONNX graphs are SSA). */
  private final Set<String> defined = new HashSet<>();

  private final Set<String> outputs = new LinkedHashSet<>();

  private OnnxModelBuilder(String name) {
    this.name = name;
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
    Object[] shape = checked(dims, name);
    int onnxType = code(type);
    define(name, "input");
    graph.input(name, onnxType, shape);
    return this;
  }

  /** Declares a graph output; {@code dims} as for {@link #input}. */
  public OnnxModelBuilder output(String name, ElementType type, Object... dims) {
    Objects.requireNonNull(name, "output name");
    Object[] shape = checked(dims, name);
    int onnxType = code(type);
    if (!outputs.add(name)) {
      throw new IllegalArgumentException("output " + name + " is declared twice");
    }
    graph.output(name, onnxType, shape);
    return this;
  }

  /** Adds a node {@code op(inputs) -> outputs} of the default ONNX domain. */
  public OnnxModelBuilder node(String op, String[] inputs, String... outputs) {
    if (outputs.length == 0) {
      throw new IllegalArgumentException("node " + op + " needs at least one output");
    }
    for (String input : inputs) {
      if (!defined.contains(input)) {
        throw new IllegalArgumentException(
            "node "
                + op
                + " reads "
                + input
                + ", which no input, initializer or earlier node"
                + " defines");
      }
    }
    for (String output : outputs) {
      define(output, "output of node " + op);
    }
    graph.node(op, inputs, outputs);
    return this;
  }

  /** Adds a float initializer (a constant tensor) of shape {@code dims}. */
  public OnnxModelBuilder floats(String name, long[] dims, float... values) {
    requireCount(name, dims, values.length);
    define(name, "initializer");
    graph.floats(name, dims, values);
    return this;
  }

  /** Adds an int64 initializer of shape {@code dims}. */
  public OnnxModelBuilder longs(String name, long[] dims, long... values) {
    requireCount(name, dims, values.length);
    define(name, "initializer");
    graph.longs(name, dims, values);
    return this;
  }

  /** Adds a metadata property, which ONNX Runtime reports as custom metadata. */
  public OnnxModelBuilder metadata(String key, String value) {
    graph.metadata(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * The serialized model.
   *
   * @throws IllegalStateException when a declared output is computed by no node and is no input
   */
  public byte[] build() {
    for (String output : outputs) {
      if (!defined.contains(output)) {
        throw new IllegalStateException(
            "model " + name + ": output " + output + " is computed by no node");
      }
    }
    return graph.toBytes();
  }

  private void define(String value, String what) {
    Objects.requireNonNull(value, what + " name");
    if (!defined.add(value)) {
      throw new IllegalArgumentException(
          what + " " + value + " is defined twice (each value has one definition in ONNX)");
    }
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
