package io.airgap.audit.tree;

import io.airgap.core.VerificationException;

/** A Merkle proof does not prove what it claims; the message says which check failed. */
public class ProofException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the failed check. */
  public ProofException(String message) {
    super(message);
  }
}
