package io.airgap.core.trust;

/**
 * What happened to one signature when counting towards a threshold.
 *
 * @param signature which signature: its file and index
 * @param keyId the policy key that made it, or {@code null} when no policy key verifies it
 * @param counted whether it counted towards the threshold
 * @param reason why it did not count, or {@code "counted"}
 */
public record SignatureOutcome(String signature, String keyId, boolean counted, String reason) {
  static SignatureOutcome counted(String signature, String keyId) {
    return new SignatureOutcome(signature, keyId, true, "counted");
  }

  static SignatureOutcome refused(String signature, String keyId, String reason) {
    return new SignatureOutcome(signature, keyId, false, reason);
  }

  /** {@code signature: reason}, for people. */
  @Override
  public String toString() {
    return signature + ": " + reason;
  }
}
