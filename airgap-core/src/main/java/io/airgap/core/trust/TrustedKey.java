package io.airgap.core.trust;

import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.signing.KeyType;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A key a trust policy names: its id, type, public key, validity window and revocation.
 *
 * @param keyId hex SHA-256 of the key's SubjectPublicKeyInfo DER
 * @param type the key type
 * @param publicKey the key
 * @param validFrom first instant signatures by it count, or {@code null} for no start
 * @param validUntil last instant signatures by it count, or {@code null} for no end
 * @param revocation why the key no longer counts at all, or {@code null}
 */
public record TrustedKey(
    String keyId,
    KeyType type,
    PublicKey publicKey,
    Instant validFrom,
    Instant validUntil,
    Revocation revocation) {
  /** Checks that the parts agree. */
  public TrustedKey {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(publicKey, "publicKey");
    if (!keyId.equals(idOf(publicKey))) {
      throw new IllegalArgumentException("key id " + keyId + " is not the key's SPKI SHA-256");
    }
  }

  /** A key with no validity limits and no revocation. */
  public static TrustedKey of(PublicKey publicKey) {
    return new TrustedKey(idOf(publicKey), KeyType.of(publicKey), publicKey, null, null, null);
  }

  /**
   * A copy whose signatures count only from {@code validFrom} to {@code validUntil}, either {@code
   * null} for no limit on that side.
   *
   * @throws IllegalArgumentException when {@code validFrom} is after {@code validUntil}
   */
  public TrustedKey withValidity(Instant validFrom, Instant validUntil) {
    if (validFrom != null && validUntil != null && validFrom.isAfter(validUntil)) {
      throw new IllegalArgumentException(
          "validFrom " + validFrom + " is after validUntil " + validUntil);
    }
    return new TrustedKey(keyId, type, publicKey, validFrom, validUntil, revocation);
  }

  /** The key id of a public key: hex SHA-256 of its SubjectPublicKeyInfo DER. */
  public static String idOf(PublicKey publicKey) {
    return HashAlgorithm.SHA256.hash(publicKey.getEncoded()).hex();
  }

  /**
   * Why a signature by this key does not count at {@code time}, or {@code null} when it does. The
   * validity window is widened by {@code tolerance} on both sides, for drifting clocks.
   */
  public String unusableAt(Instant time, Duration tolerance) {
    if (revocation != null) {
      return "key " + keyId + " is revoked: " + revocation.reason();
    }
    if (validFrom != null && time.plus(tolerance).isBefore(validFrom)) {
      return "key "
          + keyId
          + " is not valid before "
          + validFrom
          + " (verification time "
          + time
          + ")";
    }
    if (validUntil != null && time.minus(tolerance).isAfter(validUntil)) {
      return "key " + keyId + " expired on " + validUntil + " (verification time " + time + ")";
    }
    return null;
  }

  /**
   * A revocation.
   *
   * @param reason why, for people
   * @param since when it was decided, informative, or {@code null}
   */
  public record Revocation(String reason, Instant since) {
    /** Checks the reason is present. */
    public Revocation {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
