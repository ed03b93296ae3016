package io.airgap.core.trust;

import io.airgap.core.manifest.Manifest;
import java.util.List;

/**
 * The outcome of verifying a model under a trust policy: the policy and role that applied, which
 * signatures counted and why the others did not, and the versions involved. Immutable.
 *
 * @param modelName the model name the role was chosen by
 * @param policyVersion the policy version that applied
 * @param policiesAccepted policy versions newly accepted by this verification, oldest first
 * @param role the role that governs the model name
 * @param threshold how many distinct keys of the role must sign
 * @param countedKeys the keys that counted
 * @param signatures every signature offered, with its outcome
 * @param modelVersion the model version verified, or {@code null} when none was given
 * @param previousVersion the highest version accepted before, or {@code null}
 * @param resetModels model names whose recorded version was dropped because a new policy changed
 *     the keys of their role (recovery from a fast-forward attack)
 * @param signedManifest the manifest of the first signature that counted, which the model on disk
 *     matches (its name, root digest and serialization); {@code null} when none counted
 */
public record PolicyVerificationReport(
    String modelName,
    long policyVersion,
    List<Long> policiesAccepted,
    String role,
    int threshold,
    List<String> countedKeys,
    List<SignatureOutcome> signatures,
    ModelVersion modelVersion,
    ModelVersion previousVersion,
    List<String> resetModels,
    Manifest signedManifest) {
  /** Copies the lists. */
  public PolicyVerificationReport {
    policiesAccepted = List.copyOf(policiesAccepted);
    countedKeys = List.copyOf(countedKeys);
    signatures = List.copyOf(signatures);
    resetModels = List.copyOf(resetModels);
  }

  /** Whether enough distinct keys of the role signed the model as it is on disk. */
  public boolean verified() {
    return countedKeys.size() >= threshold;
  }

  /** One paragraph for people. */
  public String summary() {
    String head =
        "model "
            + modelName
            + (modelVersion == null ? "" : " version " + modelVersion)
            + " under policy version "
            + policyVersion
            + ", role "
            + role
            + ": "
            + countedKeys.size()
            + " of "
            + threshold
            + " required signatures";
    List<String> refused =
        signatures.stream().filter(outcome -> !outcome.counted()).map(Object::toString).toList();
    String tail = refused.isEmpty() ? "" : "; not counted: " + refused;
    return head + (verified() ? " (verified)" : " (NOT verified)") + tail;
  }
}
