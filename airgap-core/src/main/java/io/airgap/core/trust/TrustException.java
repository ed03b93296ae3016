package io.airgap.core.trust;

import io.airgap.core.signing.SignatureException;

/**
 * A trust policy refuses something: a policy or model signed below its threshold, an expired or
 * out-of-order policy, a key outside its role. The message names the versions, keys and roles.
 */
public class TrustException extends SignatureException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception that says what the policy refused and why. */
  public TrustException(String message) {
    super(message);
  }
}
