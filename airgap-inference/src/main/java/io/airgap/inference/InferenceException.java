package io.airgap.inference;

import io.airgap.core.AirgapException;

/**
 * Something went wrong loading or running a model: the runtime could not start, the device asked
 * for is not there, the model was refused, or a run failed. Subclasses name the common cases.
 */
public class InferenceException extends AirgapException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names what failed and where. */
  public InferenceException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the lower-level cause. */
  public InferenceException(String message, Throwable cause) {
    super(message, cause);
  }
}
