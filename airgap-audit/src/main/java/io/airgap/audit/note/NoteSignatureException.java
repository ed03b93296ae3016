package io.airgap.audit.note;

import io.airgap.core.VerificationException;

/**
 * A well-formed signed note carries no valid signature by a key the caller trusts: none of its
 * signatures is by a known key, or a known key's signature does not verify. A malformed note or key
 * is a {@link NoteException} instead.
 */
public class NoteSignatureException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the keys involved. */
  public NoteSignatureException(String message) {
    super(message);
  }
}
