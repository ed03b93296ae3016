package io.airgap.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a model declares for one input or output: name, element type and shape, where a dimension of
 * -1 is symbolic (named in {@code dimensionNames}, for example {@code batch}).
 *
 * @param name the input or output name
 * @param type the element type, or null when this API does not support it (the ONNX name is in
 *     {@code onnxType})
 * @param onnxType ONNX Runtime's name for the element type
 * @param shape the dimensions, -1 where symbolic
 * @param dimensionNames the symbolic dimensions' names ("" where fixed)
 */
public record TensorSpec(
    String name, ElementType type, String onnxType, long[] shape, String[] dimensionNames) {
  /** Copies the arrays. */
  public TensorSpec {
    shape = shape.clone();
    dimensionNames = dimensionNames.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  @Override
  public String[] dimensionNames() {
    return dimensionNames.clone();
  }

  /** ONNX's name of an element type, for example {@code uint32}. */
  static String onnxName(ai.onnxruntime.TensorInfo.OnnxTensorType type) {
    return type.name()
        .replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
        .toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the first dimension is symbolic, so rows can be batched along it. */
  public boolean hasDynamicBatch() {
    return shape.length > 0 && shape[0] < 0;
  }

  /** The shape as the errors and the CLI print it, for example {@code [batch, 4]}. */
  public String shapeText() {
    List<String> dims = new ArrayList<>();
    for (int i = 0; i < shape.length; i++) {
      dims.add(
          shape[i] >= 0
              ? Long.toString(shape[i])
              : dimensionNames[i].isEmpty() ? "?" : dimensionNames[i]);
    }
    return dims.toString();
  }

  /**
   * Whether {@code given} fits: same type and rank, fixed dimensions equal, and a symbolic first
   * dimension not 0 (an empty batch). Other symbolic dimensions may be 0: a decoder's past sequence
   * length is 0 at its first step.
   */
  boolean fits(Tensor given) {
    if (type != given.type()) {
      return false;
    }
    long[] dims = given.shapeView();
    if (dims.length != shape.length) {
      return false;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 ? dims[i] != shape[i] : i == 0 && dims[i] == 0) {
        return false;
      }
    }
    return true;
  }

  /** Every way {@code given} does not fit this spec, empty when it fits. */
  List<String> mismatches(Tensor given) {
    List<String> problems = new ArrayList<>();
    String label = onnxType + " " + shapeText();
    String got = given.type().onnxName() + " " + Arrays.toString(given.shape());
    if (type != given.type()) {
      problems.add("input " + name + " expects " + label + ", got " + got);
      return problems;
    }
    long[] dims = given.shape();
    if (dims.length != shape.length) {
      problems.add(
          "input "
              + name
              + " expects rank "
              + shape.length
              + " "
              + label
              + ", got rank "
              + dims.length
              + " "
              + got);
      return problems;
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] >= 0 && dims[i] != shape[i]) {
        problems.add(
            "input "
                + name
                + " dimension "
                + i
                + " must be "
                + shape[i]
                + " ("
                + label
                + "), got "
                + got);
      } else if (shape[i] < 0 && i == 0 && dims[i] == 0) {
        problems.add(
            "input "
                + name
                + " dimension "
                + i
                + " ("
                + dimensionNames[i]
                + ") is 0: an empty batch");
      }
    }
    return problems;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TensorSpec t
        && name.equals(t.name)
        && type == t.type
        && onnxType.equals(t.onnxType)
        && Arrays.equals(shape, t.shape)
        && Arrays.equals(dimensionNames, t.dimensionNames);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + ": " + onnxType + " " + shapeText();
  }
}
