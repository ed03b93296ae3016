package io.airgap.audit.note;

import io.airgap.core.AirgapException;

/** A signed note, or a note key, is malformed or does not verify; the message says which. */
public class NoteException extends AirgapException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the problem. */
  public NoteException(String message) {
    super(message);
  }
}
