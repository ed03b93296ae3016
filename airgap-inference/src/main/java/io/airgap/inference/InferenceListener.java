package io.airgap.inference;

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
   * What one run did.
   *
   * @param model the model name
   * @param queueNanos time spent waiting for a batch to form (0 when not batched)
   * @param runNanos time inside ONNX Runtime, tensor conversion included
   * @param batchSize rows in the run (the first dimension of the first input; 1 without one)
   * @param inputs the inputs, by name
   * @param outputs the outputs, by name
   */
  record RunEvent(
      String model,
      long queueNanos,
      long runNanos,
      long batchSize,
      Map<String, Tensor> inputs,
      Map<String, Tensor> outputs) {}
}
