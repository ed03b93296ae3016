package io.airgap.core;

/**
 * A file or directory the SDK was asked to read or write could not be used: it is missing,
 * unreadable, of the wrong kind (a FIFO, a device, a symlink where none is allowed) or failed while
 * being read. The message names the path.
 */
public class InputException extends AirgapException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the path and the problem. */
  public InputException(String message) {
    super(message);
  }

  /** Creates an exception naming the path and the problem, with the I/O error as cause. */
  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
