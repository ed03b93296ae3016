package io.airgap.deps;

import io.airgap.core.VerificationException;

/**
 * A fetched, bundled or imported file is not what it should be: a side checksum that disagrees, a
 * blob whose digest is not its name, a size or digest other than the lockfile's.
 */
public final class IntegrityException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception naming the file, what was expected and what was found. */
  public IntegrityException(String message) {
    super(message);
  }
}
