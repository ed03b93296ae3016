package io.airgap.core.trust;

/**
 * A policy or model is older than one already accepted. The message names both versions; the
 * persisted state is left unchanged.
 */
public class RollbackException extends TrustException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the offered and the accepted versions. */
  public RollbackException(String message) {
    super(message);
  }
}
