/**
 * airgap inference: ONNX Runtime sessions that load only verified bytes, on the GPU or the CPU,
 * saying which device really runs the model.
 *
 * <p>{@code io.airgap.inference.internal} (a writer of small ONNX models, used by the device probe)
 * is exported to airgap's test-support module only.
 */
module io.airgap.inference {
  requires transitive io.airgap.core;
  // Tensors and options expose no ONNX Runtime type; the runtime stays an implementation detail.
  requires com.microsoft.onnxruntime;
  requires org.slf4j;

  exports io.airgap.inference;
  exports io.airgap.inference.internal to
      io.airgap.testing;
}
