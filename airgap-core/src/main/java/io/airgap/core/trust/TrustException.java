package io.airgap.core.trust;

import io.airgap.core.signing.SignatureException;
import java.util.Optional;

/**
 * A trust policy refuses something: a policy or model signed below its threshold, an expired or
 * out-of-order policy, a key outside its role. The message names the versions, keys and roles.
 */
public class TrustException extends SignatureException {
  private static final long serialVersionUID = 1L;

  /** Not serialized: a report is for the caller that caught the exception. */
  private final transient PolicyVerificationReport report;

  /** Creates an exception that says what the policy refused and why. */
  public TrustException(String message) {
    this(message, (PolicyVerificationReport) null);
  }

  /**
   * Creates the exception for a model below its role's threshold, carrying the full report (every
   * signature's outcome), so a caller need not check the model again to learn which keys failed.
   */
  public TrustException(String message, PolicyVerificationReport report) {
    super(message);
    this.report = report;
  }

  /** The report of the refused model, when the refusal came from counting its signatures. */
  public Optional<PolicyVerificationReport> report() {
    return Optional.ofNullable(report);
  }
}
