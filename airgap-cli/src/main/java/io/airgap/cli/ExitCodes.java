package io.airgap.cli;

/** The exit codes every {@code airgap} command uses. */
final class ExitCodes {
  /** Verified, or the command did what was asked. */
  static final int OK = 0;

  /** Verification failed; the report says why. */
  static final int VERIFICATION_FAILED = 1;

  /** The command line is wrong. */
  static final int USAGE = 2;

  /** A file could not be read or written, or a document is malformed. */
  static final int INPUT_OR_FORMAT = 3;

  private ExitCodes() {}
}
