package io.airgap.drift.monitor;

import io.airgap.core.FormatException;
import io.airgap.inference.InferenceListener;
import io.airgap.inference.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Turns a run's input and output tensors into rows of named feature values for a {@link
 * DriftMonitor}: a {@code [batch]} tensor is one column, a {@code [batch, n]} tensor {@code n}
 * columns, named in order. Numeric features take numbers (booleans as 0 and 1), categorical
 * features strings, the decimal text of integers, or {@code true}/{@code false} for booleans.
 * Immutable.
 */
final class TensorRows {
  private final Map<String, List<String>> columns;
  private final Map<String, Boolean> numeric;

  /**
   * Rows for these mappings.
   *
   * @param columns feature names per tensor, in column order
   * @param numeric for every feature, whether the reference holds it as numeric
   */
  TensorRows(Map<String, List<String>> columns, Map<String, Boolean> numeric) {
    this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    this.numeric = Map.copyOf(numeric);
  }

  /**
   * The run's rows, each mapping feature names to values.
   *
   * @throws FormatException when a mapped tensor is missing, has another rank or column count than
   *     its mapping, or holds values of the wrong kind for its feature
   */
  List<Map<String, Object>> of(InferenceListener.RunEvent event) {
    List<Map<String, Object>> rows = null;
    for (Map.Entry<String, List<String>> mapping : columns.entrySet()) {
      Tensor tensor = tensor(event, mapping.getKey());
      List<String> names = mapping.getValue();
      int count = rowCount(tensor, mapping.getKey(), names.size());
      if (rows == null) {
        rows = new ArrayList<>(count);
        for (int r = 0; r < count; r++) {
          rows.add(new HashMap<>());
        }
      } else if (rows.size() != count) {
        throw new FormatException(
            "tensor " + mapping.getKey() + " has " + count + " rows, other tensors " + rows.size());
      }
      IntFunction<Object> elements = elements(tensor);
      for (int c = 0; c < names.size(); c++) {
        String feature = names.get(c);
        for (int r = 0; r < count; r++) {
          rows.get(r).put(feature, value(elements.apply(r * names.size() + c), feature));
        }
      }
    }
    return rows == null ? List.of() : rows;
  }

  private static Tensor tensor(InferenceListener.RunEvent event, String name) {
    Tensor tensor = event.outputs().get(name);
    if (tensor == null) {
      tensor = event.inputs().get(name);
    }
    if (tensor == null) {
      throw new FormatException(
          "drift monitor maps tensor "
              + name
              + ", which the run of "
              + event.model()
              + " has neither as input "
              + event.inputs().keySet()
              + " nor as output "
              + event.outputs().keySet());
    }
    return tensor;
  }

  private static int rowCount(Tensor tensor, String name, int columnCount) {
    long[] shape = tensor.shape();
    boolean fits =
        (shape.length == 1 && columnCount == 1) || (shape.length == 2 && shape[1] == columnCount);
    if (!fits) {
      throw new FormatException(
          "tensor "
              + name
              + " has shape "
              + java.util.Arrays.toString(shape)
              + "; the drift monitor maps it to "
              + columnCount
              + " column(s), so it needs shape [batch"
              + (columnCount == 1 ? "]" : ", " + columnCount + "]"));
    }
    return Math.toIntExact(shape[0]);
  }

  /** The tensor's elements, boxed, by flat index; the values are copied out once per run. */
  private static IntFunction<Object> elements(Tensor tensor) {
    return switch (tensor.type()) {
      case FLOAT -> {
        float[] v = tensor.floats();
        yield i -> v[i];
      }
      case DOUBLE -> {
        double[] v = tensor.doubles();
        yield i -> v[i];
      }
      case FLOAT16 -> {
        float[] v = tensor.float16AsFloats();
        yield i -> v[i];
      }
      case INT8 -> {
        byte[] v = tensor.bytes();
        yield i -> (long) v[i];
      }
      case UINT8 -> {
        byte[] v = tensor.bytes();
        yield i -> (long) (v[i] & 0xFF);
      }
      case INT32 -> {
        int[] v = tensor.ints();
        yield i -> (long) v[i];
      }
      case INT64 -> {
        long[] v = tensor.longs();
        yield i -> v[i];
      }
      case BOOL -> {
        boolean[] v = tensor.booleans();
        yield i -> v[i];
      }
      case STRING -> {
        String[] v = tensor.strings();
        yield i -> v[i];
      }
    };
  }

  private Object value(Object value, String feature) {
    boolean wantsNumber = numeric.get(feature);
    if (value instanceof String text) {
      if (wantsNumber) {
        throw new FormatException(
            "feature " + feature + " is numeric in the reference, but its tensor holds strings");
      }
      return text;
    }
    if (value instanceof Boolean flag) {
      return wantsNumber ? (flag ? 1.0 : 0.0) : flag.toString();
    }
    Number number = (Number) value;
    if (wantsNumber) {
      return number;
    }
    if (number instanceof Float || number instanceof Double) {
      // "1.0" would never match a reference label "1": refuse rather than report false drift.
      throw new FormatException(
          "feature "
              + feature
              + " is categorical in the reference, but its tensor holds floating-point numbers;"
              + " map an integer or string tensor to it");
    }
    return Long.toString(number.longValue());
  }
}
