package io.airgap.core.signing;

import io.airgap.core.VerificationException;

/**
 * A signature does not prove what it claims: it does not verify with the key, the certificate chain
 * does not reach a trust anchor, a certificate is expired or may not sign, or the signed manifest
 * is inconsistent. The message names the key hint or certificate subject involved.
 */
public class SignatureException extends VerificationException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception that says which check failed and on what. */
  public SignatureException(String message) {
    super(message);
  }

  /** Creates an exception with the lower-level cause. */
  public SignatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
