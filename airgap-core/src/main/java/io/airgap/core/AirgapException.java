package io.airgap.core;

/**
 * The root of every exception the SDK throws on purpose.
 *
 * <p>Messages say what failed, where (a path, an entry, a key id) and, where it helps, what the
 * caller can do about it. Subclasses are named for what went wrong so callers can react to a class
 * of failure without parsing messages.
 */
public class AirgapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with a message that names what failed and where. */
  public AirgapException(String message) {
    super(message);
  }

  /** Creates an exception with a message and the lower-level cause. */
  public AirgapException(String message, Throwable cause) {
    super(message, cause);
  }
}
