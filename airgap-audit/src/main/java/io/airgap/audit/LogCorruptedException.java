package io.airgap.audit;

import io.airgap.core.VerificationException;

/**
 * A log directory is not what its signed checkpoint says: an entry, tile or checkpoint was changed,
 * truncated, deleted or rolled back. The message names the entry index or file.
 */
public class LogCorruptedException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming what is wrong and where. */
  public LogCorruptedException(String message) {
    super(message);
  }
}
