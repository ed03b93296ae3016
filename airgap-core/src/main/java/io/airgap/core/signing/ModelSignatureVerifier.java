package io.airgap.core.signing;

import java.nio.file.Path;
import java.util.List;

/**
 * Proves that a model is exactly what a trusted signer signed, or refuses it. Two kinds exist: one
 * public key or a set of certificate trust anchors ({@link ModelVerifier}), and m of n keys under a
 * signed trust policy, with validity windows, revocation and rollback protection ({@code
 * PolicyVerifier.forModel}). Code that loads models ({@code VerifiedModel}, the CLI, a host's
 * service) takes one of these and never branches on which.
 *
 * <p>Security guarantee: when {@link #verify} returns, every file of the model that the signature
 * covers has the bytes that were signed, the signature verified over the payload as received, and
 * the signer is trusted by this verifier's configuration at its verification time. Files the
 * signature does not cover are named nowhere in the returned report and must not be used.
 */
public interface ModelSignatureVerifier {
  /**
   * Verifies {@code model} against its signature files.
   *
   * @param model the model directory or single file
   * @param signatureFiles OMS signature files: exactly one for a key or certificate verifier, one
   *     or more (one per signer) under a trust policy
   * @return the report of the verified model: what was signed (the manifest), by whom; {@link
   *     VerificationReport#verified()} is always true
   * @throws io.airgap.core.VerificationException when the model is not what a trusted signer
   *     signed: {@link SignatureException} (a signature that does not verify, an untrusted signer),
   *     {@code TrustException} or {@code RollbackException} (a policy's threshold not met, an older
   *     version than one accepted), {@link ManifestMismatchException} (files differ, with the
   *     report)
   * @throws io.airgap.core.FormatException when a signature file is malformed
   * @throws io.airgap.core.InputException when the model or a signature cannot be read
   * @throws IllegalArgumentException when {@code signatureFiles} is empty, or holds several for a
   *     verifier that counts one
   */
  VerificationReport verify(Path model, List<Path> signatureFiles);

  /** Whether several signature files count (a trust policy's m of n); otherwise exactly one. */
  boolean countsSeveralSignatures();
}
