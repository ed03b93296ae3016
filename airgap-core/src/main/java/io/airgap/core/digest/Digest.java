package io.airgap.core.digest;

import io.airgap.core.FormatException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A digest value together with the algorithm that produced it. Immutable and thread-safe.
 *
 * <p>{@link #equals} compares in constant time, so a digest from an untrusted document can be
 * compared with a computed one without leaking where they first differ.
 */
public final class Digest {
  private final HashAlgorithm algorithm;
  private final byte[] value;

  /**
   * Creates a digest.
   *
   * @throws IllegalArgumentException when the value has the wrong length for the algorithm
   */
  public Digest(HashAlgorithm algorithm, byte[] value) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    if (value.length != algorithm.digestLength()) {
      throw new IllegalArgumentException(
          algorithm.omsName()
              + " digest must be "
              + algorithm.digestLength()
              + " bytes, got "
              + value.length);
    }
    this.value = value.clone();
  }

  /**
   * Parses a lower- or upper-case hex digest from a document.
   *
   * @param where names the field, for the error message
   * @throws FormatException when the text is not hex of the algorithm's length
   */
  public static Digest fromHex(HashAlgorithm algorithm, String hex, String where) {
    if (hex == null || hex.length() != algorithm.digestLength() * 2) {
      throw new FormatException(
          where
              + ": expected "
              + algorithm.digestLength() * 2
              + " hex characters of "
              + algorithm.omsName()
              + ", got "
              + (hex == null ? "nothing" : hex.length() + " characters"));
    }
    try {
      return new Digest(algorithm, HexFormat.of().parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new FormatException(where + ": '" + hex + "' is not hexadecimal");
    }
  }

  /** The algorithm that produced this digest. */
  public HashAlgorithm algorithm() {
    return algorithm;
  }

  /** A copy of the raw digest bytes. */
  public byte[] bytes() {
    return value.clone();
  }

  /** The digest as lower-case hex. */
  public String hex() {
    return HexFormat.of().formatHex(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Digest that
        && algorithm == that.algorithm
        && MessageDigest.isEqual(value, that.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  /** Returns {@code algorithm:hex}, for example {@code sha256:e3b0...}. */
  @Override
  public String toString() {
    return algorithm.omsName() + ":" + hex();
  }
}
