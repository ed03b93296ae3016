package io.airgap.inference;

import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.signing.ManifestMismatchException;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.VerificationReport;
import io.airgap.core.trust.ModelVersion;
import io.airgap.core.trust.PolicyVerificationReport;
import io.airgap.core.trust.PolicyVerifier;
import java.nio.file.Path;
import java.util.List;

/**
 * How a model's snapshot is verified: its one signature file with a {@link ModelVerifier} (a public
 * key, or trust anchors for certificates), or its signature files under a trust policy with a
 * {@link PolicyVerifier} (thresholds, validity, revocation, rollback). Immutable.
 */
final class SignatureCheck {
  private final ModelVerifier keyVerifier;
  private final PolicyVerifier policyVerifier;
  private final String modelName;
  private final ModelVersion modelVersion;

  /**
   * What the check established.
   *
   * @param report the signed manifest the model matched (which files the signature covers) and the
   *     signer
   * @param policy the trust policy's report, or null when a key verified the model
   */
  record Checked(VerificationReport report, PolicyVerificationReport policy) {}

  private SignatureCheck(
      ModelVerifier keyVerifier,
      PolicyVerifier policyVerifier,
      String modelName,
      ModelVersion modelVersion) {
    this.keyVerifier = keyVerifier;
    this.policyVerifier = policyVerifier;
    this.modelName = modelName;
    this.modelVersion = modelVersion;
  }

  static SignatureCheck key(ModelVerifier verifier) {
    return new SignatureCheck(verifier, null, null, null);
  }

  static SignatureCheck policy(PolicyVerifier verifier, String modelName, ModelVersion version) {
    return new SignatureCheck(null, verifier, modelName, version);
  }

  /** Whether several signature files may be offered (only a policy counts several). */
  boolean takesSeveralSignatures() {
    return policyVerifier != null;
  }

  /**
   * Verifies {@code model} (the snapshot copy) against {@code signatures} (their copies).
   *
   * @throws ManifestMismatchException when a file differs from what the key signed
   * @throws io.airgap.core.trust.TrustException when the policy's threshold is not met
   */
  Checked verify(Path model, List<Path> signatures) {
    if (keyVerifier != null) {
      VerificationReport report = keyVerifier.verify(model, signatures.get(0));
      if (!report.verified()) {
        throw new ManifestMismatchException(report);
      }
      return new Checked(report, null);
    }
    PolicyVerificationReport policy =
        policyVerifier.verifyOrThrow(model, signatures, modelName, modelVersion);
    Manifest signed = policy.signedManifest();
    VerificationReport report =
        new VerificationReport(
            signed,
            "policy version "
                + policy.policyVersion()
                + ", role "
                + policy.role()
                + ": keys "
                + policy.countedKeys(),
            new ManifestDifferences(
                signed.resources().size(), List.of(), List.of(), List.of(), List.of(), List.of()));
    return new Checked(report, policy);
  }
}
