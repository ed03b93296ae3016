package io.airgap.core;

/**
 * A document (a signature bundle, a key, a manifest) is malformed, too large, or uses a field the
 * SDK does not accept. The message names the document and the offending field or position.
 */
public class FormatException extends AirgapException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception naming the malformed document and what is wrong with it. */
  public FormatException(String message) {
    super(message);
  }

  /** Creates an exception naming the malformed document, with the parser's own error as cause. */
  public FormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
