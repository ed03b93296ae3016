package io.airgap.core.trust;

import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.SigningKey;

/**
 * Adds signatures to trust policies. Each root key holder signs separately (often on an offline
 * machine) and the signatures accumulate in one envelope over the same payload. Stateless and
 * thread-safe.
 */
public final class PolicySigner {
  private PolicySigner() {}

  /**
   * Returns the policy with one more signature by {@code key}, with the key id as DSSE keyid.
   *
   * @throws TrustException when the key already signed this policy
   */
  public static SignedPolicy sign(SignedPolicy policy, SigningKey key) {
    String keyId = TrustedKey.idOf(key.publicKey());
    for (DsseEnvelope.Signature existing : policy.envelope().signatures()) {
      if (existing.keyId().equals(keyId)) {
        throw new TrustException(
            "key " + keyId + " has already signed policy version " + policy.version());
      }
    }
    byte[] signature = key.type().sign(key.privateKey(), policy.envelope().signedBytes());
    return policy.withSignature(new DsseEnvelope.Signature(keyId, signature));
  }
}
