package io.airgap.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airgap.core.signing.VerificationReport;
import io.airgap.core.trust.PolicyVerificationReport;

/** The {@code --json} form of a verification outcome, printed on standard output. */
final class ReportJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ReportJson() {}

  /** A full report of a verification that reached the model files. */
  static String of(VerificationReport report) {
    return report.toJson().stripTrailing();
  }

  /** A verification under a trust policy. */
  static String of(PolicyVerificationReport report) {
    return report.toJson().stripTrailing();
  }

  /** A verification that stopped before the files: bad signature, untrusted signer, bad input. */
  static String ofError(String error) {
    // The same layout as the library's reports: two-space indent, "key": value.
    try {
      return "{\n  \"verified\": false,\n  \"error\": " + JSON.writeValueAsString(error) + "\n}";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a string as JSON", e);
    }
  }
}
