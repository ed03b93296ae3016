package io.airgap.core.digest;

import io.airgap.core.FormatException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * The hash functions a model manifest may use, with the names OMS writes in {@code hash_type} and
 * in each resource's {@code algorithm}.
 *
 * <p>SHA-256 runs on the JDK's intrinsic (SHA-NI or AVX2 where the CPU has them); BLAKE2b-512 and
 * BLAKE3-256 come from Bouncy Castle.
 */
public enum HashAlgorithm {
  /** SHA-256, 32-byte digests; the OMS default. */
  SHA256("sha256", 32),
  /** BLAKE2b with a 64-byte digest, as Python's {@code hashlib.blake2b()} computes by default. */
  BLAKE2B("blake2b", 64),
  /** BLAKE3 with a 32-byte digest. */
  BLAKE3("blake3", 32);

  private final String omsName;
  private final int digestLength;

  HashAlgorithm(String omsName, int digestLength) {
    this.omsName = omsName;
    this.digestLength = digestLength;
  }

  /** The name written in OMS documents, for example {@code sha256}. */
  public String omsName() {
    return omsName;
  }

  /** The digest length in bytes. */
  public int digestLength() {
    return digestLength;
  }

  /** Returns a fresh, single-threaded hasher for this algorithm. */
  public Hasher newHasher() {
    switch (this) {
      case SHA256:
        try {
          return new JcaHasher(MessageDigest.getInstance("SHA-256"));
        } catch (NoSuchAlgorithmException e) {
          // Every Java SE platform must provide SHA-256.
          throw new IllegalStateException("the JDK has no SHA-256", e);
        }
      case BLAKE2B:
        return new BouncyCastleHasher(new Blake2bDigest(512));
      case BLAKE3:
        return new BouncyCastleHasher(new Blake3Digest(256));
      default:
        throw new IllegalStateException("unhandled algorithm " + this);
    }
  }

  /** Hashes a byte array in one call. */
  public Digest hash(byte[] bytes) {
    Hasher hasher = newHasher();
    hasher.update(bytes, 0, bytes.length);
    return new Digest(this, hasher.digest());
  }

  /**
   * Finds the algorithm an OMS document names.
   *
   * @throws FormatException naming the unknown value and the accepted ones
   */
  public static HashAlgorithm fromOmsName(String name) {
    for (HashAlgorithm algorithm : values()) {
      if (algorithm.omsName.equals(name)) {
        return algorithm;
      }
    }
    throw new FormatException(
        "unknown hash algorithm '"
            + name
            + "'; expected one of "
            + Arrays.stream(values()).map(HashAlgorithm::omsName).toList());
  }
}
