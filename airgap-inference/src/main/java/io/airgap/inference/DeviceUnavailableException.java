package io.airgap.inference;

/**
 * The device policy cannot be met: a GPU was required and CUDA (or TensorRT) did not start, with
 * the reason ONNX Runtime gave (for example a CUDA or cuDNN library that failed to load).
 */
public final class DeviceUnavailableException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with the reason and the runtime's error. */
  public DeviceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
