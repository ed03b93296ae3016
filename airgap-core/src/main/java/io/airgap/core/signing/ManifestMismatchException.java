package io.airgap.core.signing;

import io.airgap.core.VerificationException;

/**
 * The signature is valid but the model on disk differs from what was signed. The attached report
 * lists every missing, extra and modified file and every mismatched shard.
 */
public class ManifestMismatchException extends VerificationException {
  private static final long serialVersionUID = 1L;

  private final transient VerificationReport report;

  /** Creates the exception from the failed report. */
  public ManifestMismatchException(VerificationReport report) {
    super(report.summary());
    this.report = report;
  }

  /** The report that lists every difference. */
  public VerificationReport report() {
    return report;
  }
}
