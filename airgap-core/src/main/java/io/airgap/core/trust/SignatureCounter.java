package io.airgap.core.trust;

import io.airgap.core.signing.DsseEnvelope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts signatures towards a threshold the TUF way: each distinct key counts once, and only keys
 * the threshold names that are valid at the verification time and not revoked. Every signature gets
 * an outcome saying whether it counted and why not. Not thread-safe; one per count.
 */
final class SignatureCounter {
  private final Map<String, TrustedKey> keys;
  private final KeyThreshold allowed;
  private final String allowedName;
  private final Instant time;
  private final Duration tolerance;
  private boolean checkValidity = true;
  private final Set<String> counted = new LinkedHashSet<>();
  private final List<SignatureOutcome> outcomes = new ArrayList<>();

  /**
   * @param keys every key the policy names (so a signature by a key outside {@code allowed} is
   *     recognised and reported as such)
   * @param allowed the keys that may count and the threshold
   * @param allowedName who {@code allowed} belongs to, for messages ("role fraud")
   */
  SignatureCounter(
      Map<String, TrustedKey> keys,
      KeyThreshold allowed,
      String allowedName,
      Instant time,
      Duration tolerance) {
    this.keys = keys;
    this.allowed = allowed;
    this.allowedName = allowedName;
    this.time = time;
    this.tolerance = tolerance;
  }

  /**
   * Ignores validity windows (revocation still applies): for a policy that was trusted when it was
   * accepted, whose root keys may have expired since.
   */
  SignatureCounter ignoringValidityWindows() {
    checkValidity = false;
    return this;
  }

  /** The policy key whose signature {@code signature} over {@code signed} is, or null. */
  String signer(byte[] signed, DsseEnvelope.Signature signature) {
    TrustedKey named = keys.get(signature.keyId());
    if (named != null && named.type().verifies(named.publicKey(), signed, signature.bytes())) {
      return named.keyId();
    }
    for (TrustedKey key : keys.values()) {
      if (key != named && key.type().verifies(key.publicKey(), signed, signature.bytes())) {
        return key.keyId();
      }
    }
    return null;
  }

  /** Records a signature whose signer is already known (or null), with a reason it cannot count. */
  void refuse(String label, String keyId, String reason) {
    outcomes.add(SignatureOutcome.refused(label, keyId, reason));
  }

  /** Counts one signature made by {@code keyId} (null: no policy key verifies it). */
  void offer(String label, String keyId) {
    if (keyId == null) {
      refuse(label, null, "no key of the policy verifies it");
      return;
    }
    if (!allowed.keyIds().contains(keyId)) {
      refuse(label, keyId, "key " + keyId + " is not one of the keys of " + allowedName);
      return;
    }
    TrustedKey key = keys.get(keyId);
    String unusable =
        checkValidity
            ? key.unusableAt(time, tolerance)
            : key.revocation() == null
                ? null
                : "key " + keyId + " is revoked: " + key.revocation().reason();
    if (unusable != null) {
      refuse(label, keyId, unusable);
      return;
    }
    if (!counted.add(keyId)) {
      refuse(label, keyId, "key " + keyId + " already counted; each key counts once");
      return;
    }
    outcomes.add(SignatureOutcome.counted(label, keyId));
  }

  /** Whether the distinct counted keys reach the threshold. */
  boolean met() {
    return counted.size() >= allowed.threshold();
  }

  Set<String> countedKeys() {
    return Set.copyOf(counted);
  }

  List<SignatureOutcome> outcomes() {
    return List.copyOf(outcomes);
  }

  /** "1 of the 2 keys of role fraud it needs", for messages. */
  String shortfall() {
    return counted.size()
        + " of the "
        + allowed.threshold()
        + " keys of "
        + allowedName
        + " it needs";
  }
}
