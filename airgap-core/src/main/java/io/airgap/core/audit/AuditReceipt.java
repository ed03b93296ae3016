package io.airgap.core.audit;

import java.util.HexFormat;
import java.util.Objects;

/**
 * Proof of acceptance of one audit entry: its index in the log and its RFC 6962 leaf hash.
 *
 * @param index the entry's position, from 0
 * @param leafHash SHA-256(0x00 || entry)
 */
public record AuditReceipt(long index, byte[] leafHash) {
  /** Copies the hash. */
  public AuditReceipt {
    Objects.requireNonNull(leafHash, "leafHash");
    leafHash = leafHash.clone();
  }

  /** A copy of the leaf hash. */
  @Override
  public byte[] leafHash() {
    return leafHash.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AuditReceipt that
        && index == that.index
        && java.util.Arrays.equals(leafHash, that.leafHash);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(index) * 31 + java.util.Arrays.hashCode(leafHash);
  }

  /** {@code index:hex}. */
  @Override
  public String toString() {
    return index + ":" + HexFormat.of().formatHex(leafHash);
  }
}
