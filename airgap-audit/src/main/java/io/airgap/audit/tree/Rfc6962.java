package io.airgap.audit.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 6962 (RFC 9162 section 2.1.1) tree hashing with SHA-256: leaves are hashed with a 0x00 prefix
 * and interior nodes with 0x01, so no leaf can pose as a node. Stateless and thread-safe.
 */
public final class Rfc6962 {
  /** The size of every hash, in bytes. */
  public static final int HASH_SIZE = 32;

  private static final byte[] EMPTY_ROOT = digest().digest();

  private Rfc6962() {}

  /** The root of the empty tree: SHA-256 of nothing. */
  public static byte[] emptyRoot() {
    return EMPTY_ROOT.clone();
  }

  /** SHA-256(0x00 || entry). */
  public static byte[] leafHash(byte[] entry) {
    MessageDigest sha = digest();
    sha.update((byte) 0);
    sha.update(entry);
    return sha.digest();
  }

  /** SHA-256(0x01 || left || right). */
  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest sha = digest();
    sha.update((byte) 1);
    sha.update(left);
    sha.update(right);
    return sha.digest();
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
