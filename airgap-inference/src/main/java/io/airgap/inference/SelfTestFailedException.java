package io.airgap.inference;

import io.airgap.core.VerificationException;

/**
 * A model's golden inputs did not give its golden outputs within tolerance when run at load, so the
 * model was refused: the bytes verify, but this runtime or device computes something else. A {@link
 * VerificationException} (the model failed a check at load), not an {@link InferenceException}.
 */
public final class SelfTestFailedException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the model, the output and the element that differ. */
  public SelfTestFailedException(String message) {
    super(message);
  }
}
