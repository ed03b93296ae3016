package io.airgap.core.signing;

import io.airgap.core.FormatException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;

/**
 * The key types the SDK signs and verifies with. The three ECDSA types are OMS v1.0; Ed25519 is an
 * airgap extension that other OMS verifiers do not accept.
 */
public enum KeyType {
  /** ECDSA on NIST P-256 with SHA-256. */
  ECDSA_P256("ecdsa-p256", "secp256r1", "SHA256withECDSA", "PKIX_ECDSA_P256_SHA_256"),
  /** ECDSA on NIST P-384 with SHA-384. */
  ECDSA_P384("ecdsa-p384", "secp384r1", "SHA384withECDSA", "PKIX_ECDSA_P384_SHA_384"),
  /** ECDSA on NIST P-521 with SHA-512. */
  ECDSA_P521("ecdsa-p521", "secp521r1", "SHA512withECDSA", "PKIX_ECDSA_P521_SHA_512"),
  /** Ed25519 (RFC 8032); not part of OMS v1.0. */
  ED25519("ed25519", "Ed25519", "Ed25519", "PKIX_ED25519");

  private final String cliName;
  private final String curve;
  private final String jcaSignature;
  private final String sigstoreKeyDetails;

  KeyType(String cliName, String curve, String jcaSignature, String sigstoreKeyDetails) {
    this.cliName = cliName;
    this.curve = curve;
    this.jcaSignature = jcaSignature;
    this.sigstoreKeyDetails = sigstoreKeyDetails;
  }

  /** The name used on the command line, for example {@code ecdsa-p256}. */
  public String cliName() {
    return cliName;
  }

  /** The JCA curve name ({@code secp256r1}...) or {@code Ed25519}. */
  public String curve() {
    return curve;
  }

  /** The JCA signature algorithm, for example {@code SHA256withECDSA}. */
  public String jcaSignature() {
    return jcaSignature;
  }

  /** The Sigstore {@code PublicKeyDetails} name older bundles record in {@code keyDetails}. */
  public String sigstoreKeyDetails() {
    return sigstoreKeyDetails;
  }

  /**
   * Signs {@code message} with a private key of this type (DER for ECDSA, 64 bytes for Ed25519).
   *
   * @throws io.airgap.core.AirgapException when the key does not fit this type
   */
  public byte[] sign(java.security.PrivateKey key, byte[] message) {
    try {
      java.security.Signature signature = java.security.Signature.getInstance(jcaSignature);
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new io.airgap.core.AirgapException("cannot sign with the " + cliName + " key", e);
    }
  }

  /**
   * Whether {@code signature} is a valid signature of {@code message} by {@code key}; a malformed
   * signature (bad DER, wrong length) simply does not verify.
   */
  public boolean verifies(PublicKey key, byte[] message, byte[] signature) {
    return verifies(jcaSignature, key, message, signature);
  }

  /**
   * Whether {@code signature} is an ECDSA signature with SHA-256 of {@code message}, whatever the
   * curve: {@code model_signing} 0.2 hashed with SHA-256 for every key. Always false for Ed25519,
   * which that release could not sign with.
   */
  boolean verifiesWithSha256(PublicKey key, byte[] message, byte[] signature) {
    return this != ED25519 && verifies("SHA256withECDSA", key, message, signature);
  }

  private static boolean verifies(
      String algorithm, PublicKey key, byte[] message, byte[] signature) {
    try {
      java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
      verifier.initVerify(key);
      verifier.update(message);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether other OMS v1.0 implementations accept signatures by this key type. */
  public boolean isOms() {
    return this != ED25519;
  }

  /**
   * Finds the type of a public key.
   *
   * @throws FormatException for RSA, other curves and any other algorithm
   */
  public static KeyType of(PublicKey key) {
    if (key instanceof ECPublicKey ec) {
      return ofEcParameters(ec.getParams());
    }
    if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
      return ED25519;
    }
    throw new FormatException(
        key.getAlgorithm() + " keys are not supported; use ECDSA P-256, P-384, P-521 or Ed25519");
  }

  /**
   * Finds the ECDSA type whose domain parameters are exactly {@code params}: the curve, generator
   * and order are compared, so another curve of the same size (secp256k1, brainpool) is refused.
   *
   * @throws FormatException for curves other than P-256, P-384 and P-521
   */
  static KeyType ofEcParameters(ECParameterSpec params) {
    for (KeyType type : values()) {
      if (type != ED25519) {
        ECParameterSpec named = type.namedParameters();
        if (named.getCurve().equals(params.getCurve())
            && named.getGenerator().equals(params.getGenerator())
            && named.getOrder().equals(params.getOrder())) {
          return type;
        }
      }
    }
    throw new FormatException(
        "ECDSA keys on this "
            + params.getCurve().getField().getFieldSize()
            + "-bit curve are not supported; use P-256, P-384 or P-521");
  }

  private ECParameterSpec namedParameters() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curve));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks the curve " + curve, e);
    }
  }

  /**
   * Finds a type by its command-line name.
   *
   * @throws FormatException naming the accepted names
   */
  public static KeyType fromCliName(String name) {
    for (KeyType type : values()) {
      if (type.cliName.equals(name)) {
        return type;
      }
    }
    throw new FormatException(
        "unknown key type '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(KeyType::cliName).toList());
  }
}
