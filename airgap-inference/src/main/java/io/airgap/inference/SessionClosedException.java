package io.airgap.inference;

/** A session was used after {@link InferenceSession#close()} began. */
public final class SessionClosedException extends InferenceException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the model. */
  public SessionClosedException(String model) {
    super("the inference session of model " + model + " is closed; load the model again");
  }
}
