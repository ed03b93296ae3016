package io.airgap.core;

/**
 * Something airgap was asked to verify is not what it claims to be: a signature that does not
 * verify or a signer not trusted ({@code SignatureException}, {@code TrustException}), a model that
 * differs from its signed manifest ({@code ManifestMismatchException}), an older model or policy
 * than one already accepted ({@code RollbackException}), a damaged audit log or proof ({@code
 * LogCorruptedException}, {@code ProofException}), bundle or store bytes that are not their digest
 * ({@code IntegrityException}, {@code MissingArtifactsException}), a model that fails its self-test
 * ({@code SelfTestFailedException}).
 *
 * <p>Every method of the SDK named {@code verify...} returns a verified value or throws a subclass
 * of this exception; catching it is how a host says "refuse, whatever the reason". Malformed input
 * is a {@link FormatException} and unreadable input an {@link InputException}, not this.
 */
public class VerificationException extends AirgapException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception that says what did not verify, where, and what the user can do. */
  public VerificationException(String message) {
    super(message);
  }

  /** Creates an exception with the lower-level cause. */
  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
