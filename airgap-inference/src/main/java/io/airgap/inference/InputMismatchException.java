package io.airgap.inference;

import java.util.List;

/**
 * The inputs of a run do not match what the model declares: names, element types, ranks or fixed
 * dimensions. Raised before any native code runs; {@link #problems()} lists every mismatch.
 */
public final class InputMismatchException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Every mismatch, one line each, expected against given. */
  private final List<String> problems;

  /** Creates the exception from the model name and every mismatch found. */
  public InputMismatchException(String model, List<String> problems) {
    super("inputs do not match model " + model + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every mismatch, one line each. */
  public List<String> problems() {
    return problems;
  }
}
