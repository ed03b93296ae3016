package io.airgap.core.signing;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A private key with its public half and type. The public key names the signer in the bundle (its
 * hint) and lets the signer check a certificate matches.
 *
 * @param privateKey the key that signs
 * @param publicKey its public half
 * @param type the key type
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, KeyType type) {
  /** Checks that all parts are present. */
  public SigningKey {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(type, "type");
  }

  /** Never prints key material. */
  @Override
  public String toString() {
    return "SigningKey[" + type.cliName() + ", hint " + Pem.hint(publicKey) + "]";
  }
}
