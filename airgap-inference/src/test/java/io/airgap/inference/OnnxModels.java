package io.airgap.inference;

import static io.airgap.inference.internal.OnnxGraph.BOOL;
import static io.airgap.inference.internal.OnnxGraph.DOUBLE;
import static io.airgap.inference.internal.OnnxGraph.FLOAT;
import static io.airgap.inference.internal.OnnxGraph.FLOAT16;
import static io.airgap.inference.internal.OnnxGraph.INT32;
import static io.airgap.inference.internal.OnnxGraph.INT64;
import static io.airgap.inference.internal.OnnxGraph.INT8;
import static io.airgap.inference.internal.OnnxGraph.STRING;
import static io.airgap.inference.internal.OnnxGraph.UINT8;

import io.airgap.inference.internal.OnnxGraph;

/** The ONNX models the tests run, written with {@link OnnxGraph}. */
final class OnnxModels {
  private OnnxModels() {}

  /** A two-layer perceptron: y = relu(x W1 + b1) W2 + b2, x [batch, 4] -> y [batch, 3]. */
  static byte[] mlp() {
    return new OnnxGraph("mlp")
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
    return new OnnxGraph("pair")
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
    return new OnnxGraph("mask")
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
    return new OnnxGraph("fixed")
        .input("x", FLOAT, 1L, 4L)
        .output("y", FLOAT, 1L, 4L)
        .node("Add", new String[] {"x", "x"}, "y")
        .toBytes();
  }

  /** One Identity per element type, input {@code in_T} to output {@code out_T}, shape [n]. */
  static byte[] identities() {
    OnnxGraph graph = new OnnxGraph("identities");
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
}
