package io.airgap.audit.tree;

/**
 * Reads the hashes of complete subtrees of a log: the node at {@code level} and {@code index} is
 * the root of leaves {@code [index * 2^level, (index + 1) * 2^level)}; level 0 holds leaf hashes.
 * Implementations read them from tiles or memory.
 */
@FunctionalInterface
public interface NodeReader {
  /**
   * The hash of one complete subtree.
   *
   * @throws io.airgap.core.AirgapException when the node cannot be read
   */
  byte[] node(int level, long index);
}
