package io.airgap.inference;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a model's golden inputs at load and compares the outputs with its golden outputs. The model
 * directory carries them, covered by its signature: {@code selftest/inputs/NAME.npy} per input and
 * {@code selftest/outputs/NAME.npy} per output checked. Floating-point elements may differ by
 * {@code absolute + relative * |golden|}; integers, booleans and strings must be equal.
 *
 * @param absolute the absolute tolerance
 * @param relative the relative tolerance
 */
public record SelfTest(double absolute, double relative) {
  /** Where golden inputs live inside a model directory. */
  public static final String INPUTS = "selftest/inputs/";

  /** Where golden outputs live inside a model directory. */
  public static final String OUTPUTS = "selftest/outputs/";

  /** Checks the tolerances. */
  public SelfTest {
    if (!(absolute >= 0) || !(relative >= 0)) {
      throw new IllegalArgumentException("tolerances must be 0 or more");
    }
  }

  /** 1e-4 absolute plus 1e-4 relative: CPU and GPU kernels agree to this on float32 models. */
  public static SelfTest defaults() {
    return new SelfTest(1e-4, 1e-4);
  }

  /** Whether the model carries golden inputs. */
  static boolean present(VerifiedModel model) {
    return !model.filesUnder(INPUTS).isEmpty();
  }

  /**
   * Runs the golden inputs and compares every golden output.
   *
   * @return how many outputs were compared
   * @throws SelfTestFailedException naming the first output and element that differ
   */
  int run(InferenceSession session) {
    VerifiedModel model = session.model();
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (String file : model.filesUnder(INPUTS)) {
      inputs.put(stem(file, INPUTS), Npy.read(model.file(file)));
    }
    List<String> goldenOutputs = model.filesUnder(OUTPUTS);
    if (goldenOutputs.isEmpty()) {
      throw new SelfTestFailedException(
          "model "
              + model.name()
              + " has golden inputs but no "
              + OUTPUTS
              + "*.npy to compare with");
    }
    Map<String, Tensor> outputs;
    try {
      outputs = session.runUnobserved(inputs);
    } catch (InferenceException e) {
      throw new SelfTestFailedException(
          "model " + model.name() + " could not run its golden inputs: " + e.getMessage());
    }
    for (String file : goldenOutputs) {
      String name = stem(file, OUTPUTS);
      Tensor actual = outputs.get(name);
      if (actual == null) {
        throw new SelfTestFailedException(
            "model " + model.name() + " has a golden output " + name + " it does not produce");
      }
      compare(model.name(), name, Npy.read(model.file(file)), actual);
    }
    return goldenOutputs.size();
  }

  private static String stem(String file, String prefix) {
    String name = file.substring(prefix.length());
    return name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
  }

  void compare(String model, String output, Tensor golden, Tensor actual) {
    String where = "model " + model + " failed its self-test: output " + output;
    if (golden.type() != actual.type() || !Arrays.equals(golden.shape(), actual.shape())) {
      throw new SelfTestFailedException(
          where + " is " + actual + ", the golden output is " + golden);
    }
    double[] expected = values(golden);
    double[] got = values(actual);
    if (expected == null) {
      if (!Arrays.equals(golden.strings(), actual.strings())) {
        throw new SelfTestFailedException(where + " differs from the golden strings");
      }
      return;
    }
    boolean exact = !isFloating(golden.type());
    for (int i = 0; i < expected.length; i++) {
      double allowed = exact ? 0 : absolute + relative * Math.abs(expected[i]);
      boolean same =
          Double.isNaN(expected[i])
              ? Double.isNaN(got[i])
              : Double.isInfinite(expected[i])
                  ? got[i] == expected[i] // masked logits: -inf must stay -inf
                  : Math.abs(got[i] - expected[i]) <= allowed;
      if (!same) {
        throw new SelfTestFailedException(
            String.format(
                Locale.ROOT,
                "%s element %d is %s, the golden value %s (tolerance %s)",
                where,
                i,
                got[i],
                expected[i],
                exact ? "exact" : absolute + " + " + relative + " x |golden|"));
      }
    }
  }

  private static boolean isFloating(ElementType type) {
    return type == ElementType.FLOAT || type == ElementType.DOUBLE || type == ElementType.FLOAT16;
  }

  /** Elements as doubles (exact for every type but int64 beyond 2^53), null for strings. */
  private static double[] values(Tensor tensor) {
    return switch (tensor.type()) {
      case FLOAT -> toDoubles(tensor.floats());
      case FLOAT16 -> toDoubles(tensor.float16AsFloats());
      case DOUBLE -> tensor.doubles();
      case INT8 -> bytes(tensor.bytes(), false);
      case UINT8 -> bytes(tensor.bytes(), true);
      case INT32 -> Arrays.stream(tensor.ints()).asDoubleStream().toArray();
      case INT64 -> Arrays.stream(tensor.longs()).asDoubleStream().toArray();
      case BOOL -> bools(tensor.booleans());
      case STRING -> null;
    };
  }

  private static double[] toDoubles(float[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i];
    }
    return out;
  }

  private static double[] bytes(byte[] values, boolean unsigned) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = unsigned ? values[i] & 0xFF : values[i];
    }
    return out;
  }

  private static double[] bools(boolean[] values) {
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] ? 1 : 0;
    }
    return out;
  }
}
