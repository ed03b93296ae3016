package io.airgap.inference;

import java.util.List;
import java.util.Map;

/**
 * Called after every run of a session, on the thread that ran it, with its timings, inputs and
 * outputs (so a drift monitor can profile them). Implementations must be thread-safe and quick; an
 * exception they throw is logged and does not fail the run.
 */
@FunctionalInterface
public interface InferenceListener {
  /** One run's record. */
  void onRun(RunEvent event);

  /**
   * A listener that calls each of {@code listeners} in order. Every one is called even when an
   * earlier one throws; the first exception is thrown afterwards, the others added to it as
   * suppressed.
   */
  static InferenceListener all(List<InferenceListener> listeners) {
    List<InferenceListener> copy = List.copyOf(listeners);
    if (copy.size() == 1) {
      return copy.get(0);
    }
    return event -> {
      RuntimeException first = null;
      for (InferenceListener listener : copy) {
        try {
          listener.onRun(event);
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    };
  }

  /**
   * What one run did.
   *
   * @param model the model name
   * @param modelDigest the model's root digest, {@code sha256:HEX}
   * @param queueNanos time spent waiting for a batch to form (0 when not batched)
   * @param runNanos time inside ONNX Runtime, tensor conversion included
   * @param batchSize rows in the run (the first dimension of the first input; 1 without one)
   * @param inputs the inputs, by name
   * @param outputs the outputs, by name
   */
  record RunEvent(
      String model,
      String modelDigest,
      long queueNanos,
      long runNanos,
      long batchSize,
      Map<String, Tensor> inputs,
      Map<String, Tensor> outputs) {}
}
