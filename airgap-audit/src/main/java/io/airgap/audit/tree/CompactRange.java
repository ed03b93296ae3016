package io.airgap.audit.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing tree: the roots of the complete subtrees that cover leaves {@code [0,
 * size)}, at most one per level. Appending a leaf and computing the root both cost O(log n). Not
 * thread-safe.
 */
public final class CompactRange {
  private final List<byte[]> hashes = new ArrayList<>();
  private final List<Integer> levels = new ArrayList<>();
  private long size;

  /** An empty range. */
  public CompactRange() {}

  /** The range of an existing tree of {@code size} leaves, read from its stored nodes. */
  public static CompactRange of(long size, NodeReader nodes) {
    CompactRange range = new CompactRange();
    long start = 0;
    for (int level = 63; level >= 0; level--) {
      long width = 1L << level;
      if ((size & width) != 0) {
        range.hashes.add(nodes.node(level, start >>> level));
        range.levels.add(level);
        start += width;
      }
    }
    range.size = size;
    return range;
  }

  /**
   * Adds one leaf hash, merging complete subtrees; returns the nodes it completed, lowest first.
   */
  public List<Completed> append(byte[] leafHash) {
    List<Completed> completed = new ArrayList<>();
    byte[] hash = leafHash;
    int level = 0;
    long index = size;
    while (!levels.isEmpty() && levels.get(levels.size() - 1) == level) {
      byte[] left = hashes.remove(hashes.size() - 1);
      levels.remove(levels.size() - 1);
      hash = Rfc6962.nodeHash(left, hash);
      level++;
      index >>>= 1;
      completed.add(new Completed(level, index, hash));
    }
    hashes.add(hash);
    levels.add(level);
    size++;
    return completed;
  }

  /** The number of leaves covered. */
  public long size() {
    return size;
  }

  /** The root of the tree of {@link #size()} leaves. */
  public byte[] root() {
    if (hashes.isEmpty()) {
      return Rfc6962.emptyRoot();
    }
    byte[] root = hashes.get(hashes.size() - 1);
    for (int i = hashes.size() - 2; i >= 0; i--) {
      root = Rfc6962.nodeHash(hashes.get(i), root);
    }
    return root;
  }

  /**
   * A complete subtree that an append finished.
   *
   * @param level its height
   * @param index its position at that level
   * @param hash its root
   */
  public record Completed(int level, long index, byte[] hash) {}
}
