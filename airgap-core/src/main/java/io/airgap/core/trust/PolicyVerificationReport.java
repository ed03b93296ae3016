package io.airgap.core.trust;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.manifest.Manifest;
import java.nio.charset.StandardCharsets;
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

  /**
   * The report as JSON for machines (two-space indented, final newline): {@code verified}, {@code
   * model}, {@code modelVersion} and {@code previousVersion} when known, {@code policyVersion},
   * {@code policiesAccepted}, {@code role}, {@code threshold}, {@code countedKeys}, {@code
   * signatures} (each with {@code signature}, {@code keyId}, {@code counted}, {@code reason}) and
   * {@code resetModels}.
   */
  public String toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("verified", verified());
    root.put("model", modelName);
    if (modelVersion != null) {
      root.put("modelVersion", modelVersion.toString());
    }
    if (previousVersion != null) {
      root.put("previousVersion", previousVersion.toString());
    }
    root.put("policyVersion", policyVersion);
    policiesAccepted.forEach(root.putArray("policiesAccepted")::add);
    root.put("role", role);
    root.put("threshold", threshold);
    countedKeys.forEach(root.putArray("countedKeys")::add);
    ArrayNode signatureNodes = root.putArray("signatures");
    for (SignatureOutcome outcome : signatures) {
      ObjectNode node = signatureNodes.addObject();
      node.put("signature", outcome.signature());
      if (outcome.keyId() == null) {
        node.putNull("keyId");
      } else {
        node.put("keyId", outcome.keyId());
      }
      node.put("counted", outcome.counted());
      node.put("reason", outcome.reason());
    }
    resetModels.forEach(root.putArray("resetModels")::add);
    return new String(StrictJson.writePretty(root), StandardCharsets.UTF_8);
  }
}
