/**
 * airgap inference: ONNX Runtime sessions that load only verified bytes, on the GPU or the CPU,
 * saying which device really runs the model.
 *
 * <p>{@code io.airgap.inference.internal} (a writer of small ONNX models, used by the device probe)
 * is exported to airgap's test-support module only.
 */
module io.airgap.inference {
  requires transitive io.airgap.core;
  // NativeRuntime.environment() hands out the shared OrtEnvironment to hosts that also call ONNX
  // Runtime directly (one environment per process); tensors and options expose no ONNX type.
  requires transitive com.microsoft.onnxruntime;
  requires org.slf4j;

  exports io.airgap.inference;
  exports io.airgap.inference.internal to
      io.airgap.testing;
}
