package io.airgap.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.VerificationReport;
import io.airgap.core.trust.PolicyVerificationReport;
import io.airgap.core.trust.SignatureOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The {@code --json} form of a verification outcome, printed on standard output. */
final class ReportJson {
  private ReportJson() {}

  /** A full report of a verification that reached the model files. */
  static String of(VerificationReport report) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("verified", report.verified());
    root.put("model", report.modelName());
    root.put("rootDigest", "sha256:" + report.rootDigest().hex());
    root.put("signer", report.signer());
    root.put("method", report.method().omsName());
    root.put("hashType", report.hashAlgorithm().omsName());
    root.put("resourcesChecked", report.resourcesChecked());
    list(root, "missingFiles", report.missingFiles());
    list(root, "extraFiles", report.extraFiles());
    list(root, "modifiedFiles", report.modifiedFiles());
    list(root, "mismatchedShards", report.mismatchedShards());
    list(root, "refusedEntries", report.refusedEntries());
    return text(root);
  }

  /** A verification under a trust policy. */
  static String of(PolicyVerificationReport report) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("verified", report.verified());
    root.put("model", report.modelName());
    if (report.modelVersion() != null) {
      root.put("modelVersion", report.modelVersion().toString());
    }
    if (report.previousVersion() != null) {
      root.put("previousVersion", report.previousVersion().toString());
    }
    root.put("policyVersion", report.policyVersion());
    report.policiesAccepted().forEach(root.putArray("policiesAccepted")::add);
    root.put("role", report.role());
    root.put("threshold", report.threshold());
    list(root, "countedKeys", report.countedKeys());
    var signatures = root.putArray("signatures");
    for (SignatureOutcome outcome : report.signatures()) {
      ObjectNode node = signatures.addObject();
      node.put("signature", outcome.signature());
      if (outcome.keyId() == null) {
        node.putNull("keyId");
      } else {
        node.put("keyId", outcome.keyId());
      }
      node.put("counted", outcome.counted());
      node.put("reason", outcome.reason());
    }
    list(root, "resetModels", report.resetModels());
    return text(root);
  }

  /** A verification that stopped before the files: bad signature, untrusted signer, bad input. */
  static String ofError(String error) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("verified", false);
    root.put("error", error);
    return text(root);
  }

  private static void list(ObjectNode root, String field, List<String> values) {
    values.forEach(root.putArray(field)::add);
  }

  private static String text(ObjectNode root) {
    return new String(StrictJson.writePretty(root), StandardCharsets.UTF_8).stripTrailing();
  }
}
