package io.airgap.core.signing;

import io.airgap.core.internal.OmsStatement;
import io.airgap.core.manifest.Manifest;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * An OMS signature file: a Sigstore bundle (v0.3) holding a DSSE envelope and what identifies the
 * signer, either a public key hint (key method) or an X.509 chain, leaf first (certificate method).
 *
 * @param envelope the DSSE envelope over the in-toto statement
 * @param publicKeyHint the key method's hint (hex SHA-256 of the key's PEM), or {@code null}
 * @param legacyPublicKeyPem older files' {@code publicKey.rawBytes} (the key's PEM), or {@code
 *     null}; the verifier always verifies with the caller's key and refuses a bundle whose recorded
 *     key is another one
 * @param certificateChain the certificate method's chain, leaf first; empty for the key method
 */
public record SignatureBundle(
    DsseEnvelope envelope,
    String publicKeyHint,
    byte[] legacyPublicKeyPem,
    List<X509Certificate> certificateChain) {
  /** The media type {@code model_signing} writes. */
  public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";

  /** Copies mutable parts. */
  public SignatureBundle {
    Objects.requireNonNull(envelope, "envelope");
    legacyPublicKeyPem = legacyPublicKeyPem == null ? null : legacyPublicKeyPem.clone();
    certificateChain = List.copyOf(certificateChain);
  }

  /** A copy of the legacy PEM bytes, or {@code null}. */
  @Override
  public byte[] legacyPublicKeyPem() {
    return legacyPublicKeyPem == null ? null : legacyPublicKeyPem.clone();
  }

  /** Whether the signer is identified by a certificate chain. */
  public boolean usesCertificate() {
    return !certificateChain.isEmpty();
  }

  /**
   * The manifest this bundle's statement carries (model name, serialization, every resource's
   * digest), decoded without checking the signature: for inspecting a signature just written or
   * already verified. Deciding whether to trust it is {@link ModelVerifier}'s job.
   *
   * @throws io.airgap.core.FormatException when the statement is not an OMS v1.0 statement
   */
  public Manifest manifest() {
    return OmsStatement.decode(envelope.payload(), "signature bundle statement");
  }
}
