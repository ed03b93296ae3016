package io.airgap.core.trust;

import io.airgap.core.signing.DsseEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Establishes which trust policy is current, the TUF way: starting from a policy already trusted,
 * version N+1 is accepted only when a threshold of version N's root keys and a threshold of its own
 * root keys signed it, and its version is exactly N+1. Only the newest policy must be unexpired.
 * Stateless and thread-safe.
 */
public final class PolicyChain {
  private PolicyChain() {}

  /**
   * The outcome of walking a chain.
   *
   * @param current the newest policy reached
   * @param accepted every policy newly accepted on the way, oldest first
   */
  public record Walk(SignedPolicy current, List<SignedPolicy> accepted) {
    /** Copies the list. */
    public Walk {
      accepted = List.copyOf(accepted);
    }
  }

  /**
   * Trusts a first policy, which must be signed by a threshold of its own root keys. Whether to
   * trust it at all is the caller's decision (it came with the installation, through the site's own
   * channel); this checks it is complete and intact.
   *
   * @throws TrustException when its root threshold is not met
   */
  public static SignedPolicy trustFirst(SignedPolicy first, Instant time, Duration tolerance) {
    requireRootSignatures(first, first, time, tolerance, true);
    return first;
  }

  /**
   * Re-checks a policy accepted earlier (from the persisted state): its own root threshold must
   * still hold, revocations count, but validity windows do not, since its root keys may have
   * expired since it was accepted.
   *
   * @throws TrustException when the threshold no longer holds
   */
  public static SignedPolicy trustAccepted(SignedPolicy accepted, Instant time) {
    requireRootSignatures(accepted, accepted, time, Duration.ZERO, false);
    return accepted;
  }

  /**
   * Walks from {@code trusted} through {@code offered} (any order; versions not newer than the
   * trusted one are checked for consistency and skipped) to the newest, and checks the newest has
   * not expired.
   *
   * @throws RollbackException when every offered policy is older than the trusted one
   * @throws TrustException when a version is skipped or repeated with other content, a threshold is
   *     not met, or the newest policy has expired
   */
  public static Walk walk(
      SignedPolicy trusted, List<SignedPolicy> offered, Instant time, Duration tolerance) {
    List<SignedPolicy> sorted = new ArrayList<>(offered);
    sorted.sort(Comparator.comparingLong(SignedPolicy::version));
    SignedPolicy current = trusted;
    List<SignedPolicy> accepted = new ArrayList<>();
    for (SignedPolicy next : sorted) {
      if (next.version() <= current.version()) {
        requireSameAsKnown(next, current, trusted);
        continue;
      }
      if (next.version() != current.version() + 1) {
        throw new TrustException(
            "policy version "
                + next.version()
                + " cannot follow version "
                + current.version()
                + ": versions must increase by exactly 1 (version "
                + (current.version() + 1)
                + " is missing)");
      }
      // The old root vouches for the new one whatever its keys' windows now; the new root's keys
      // must be valid at the verification time.
      requireRootSignatures(next, current, time, tolerance, false);
      requireRootSignatures(next, next, time, tolerance, true);
      accepted.add(next);
      current = next;
    }
    long newestOffered =
        sorted.isEmpty() ? current.version() : sorted.get(sorted.size() - 1).version();
    if (newestOffered < trusted.version()) {
      throw new RollbackException(
          "policy version "
              + newestOffered
              + " is older than version "
              + trusted.version()
              + " already accepted");
    }
    if (current.policy().expiredAt(time, tolerance)) {
      throw new TrustException(
          "policy version "
              + current.version()
              + " expired on "
              + current.policy().expires()
              + " (verification time "
              + time
              + ")");
    }
    return new Walk(current, accepted);
  }

  private static void requireSameAsKnown(
      SignedPolicy offered, SignedPolicy current, SignedPolicy trusted) {
    if (offered.version() == current.version() && !offered.digest().equals(current.digest())) {
      throw new TrustException(
          "policy version "
              + offered.version()
              + " (sha256 "
              + offered.digest().hex()
              + ") differs from the version "
              + current.version()
              + " already "
              + (current == trusted ? "accepted" : "offered")
              + " (sha256 "
              + current.digest().hex()
              + "); a version may not be reused");
    }
  }

  /** Checks that a threshold of {@code signer}'s root keys signed {@code policy}. */
  private static void requireRootSignatures(
      SignedPolicy policy,
      SignedPolicy signer,
      Instant time,
      Duration tolerance,
      boolean checkValidity) {
    String rootName = "the root of policy version " + signer.version();
    SignatureCounter counter =
        new SignatureCounter(
            signer.policy().keys(), signer.policy().root(), rootName, time, tolerance);
    if (!checkValidity) {
      counter.ignoringValidityWindows();
    }
    byte[] signed = policy.envelope().signedBytes();
    List<DsseEnvelope.Signature> signatures = policy.envelope().signatures();
    for (int i = 0; i < signatures.size(); i++) {
      counter.offer("signatures[" + i + "]", counter.signer(signed, signatures.get(i)));
    }
    if (!counter.met()) {
      throw new TrustException(
          "policy version "
              + policy.version()
              + " is signed by "
              + counter.shortfall()
              + describeRefusals(counter.outcomes()));
    }
  }

  private static String describeRefusals(List<SignatureOutcome> outcomes) {
    List<String> refused =
        outcomes.stream().filter(outcome -> !outcome.counted()).map(Object::toString).toList();
    return refused.isEmpty() ? "" : " " + refused;
  }
}
