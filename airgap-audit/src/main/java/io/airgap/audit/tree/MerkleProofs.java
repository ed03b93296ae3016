package io.airgap.audit.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Computes roots, inclusion proofs and consistency proofs (RFC 6962 section 2.1, RFC 9162 sections
 * 2.1.3.1 and 2.1.4.1) from the stored hashes of complete subtrees, so a proof at any size costs
 * O(log n) node reads, never a recomputation of the tree. Stateless and thread-safe.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /** The root of the tree of the first {@code size} leaves. */
  public static byte[] root(long size, NodeReader nodes) {
    return size == 0 ? Rfc6962.emptyRoot() : rangeHash(0, size, nodes);
  }

  /**
   * The inclusion proof of leaf {@code index} in the tree of {@code size} leaves: PATH(m, D[n]).
   *
   * @throws ProofException when the index is outside the tree
   */
  public static List<byte[]> inclusion(long index, long size, NodeReader nodes) {
    if (index < 0 || index >= size) {
      throw new ProofException("entry " + index + " is outside a tree of size " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    path(index, 0, size, nodes, proof);
    return proof;
  }

  /**
   * The consistency proof from size {@code size1} to {@code size2}: PROOF(m, D[n]).
   *
   * @throws ProofException unless {@code 0 < size1 <= size2}
   */
  public static List<byte[]> consistency(long size1, long size2, NodeReader nodes) {
    if (size1 <= 0 || size2 < size1) {
      throw new ProofException(
          "no consistency proof from size "
              + size1
              + " to size "
              + size2
              + " (need 0 < from <= to)");
    }
    List<byte[]> proof = new ArrayList<>();
    if (size1 < size2) {
      subproof(size1, 0, size2, true, nodes, proof);
    }
    return proof;
  }

  /**
   * The proof that subtree {@code [start, end)} is part of the tree of {@code size} leaves, as
   * {@link ProofVerifier#verifySubtreeConsistency} checks it.
   *
   * @throws ProofException when the range is not a subtree within the tree
   */
  public static List<byte[]> subtreeConsistency(long start, long end, long size, NodeReader nodes) {
    long width = end - start;
    long alignment =
        width <= 0 ? 0 : Long.bitCount(width) == 1 ? width : Long.highestOneBit(width) << 1;
    if (start < 0 || width <= 0 || end > size || start % alignment != 0) {
      throw new ProofException(
          "[" + start + ", " + end + ") is not a subtree of a tree of size " + size);
    }
    List<byte[]> proof = new ArrayList<>();
    subtreeProof(start, end, 0, size, true, nodes, proof);
    return proof;
  }

  private static void subtreeProof(
      long start, long end, long lo, long hi, boolean known, NodeReader nodes, List<byte[]> proof) {
    if (start == lo && end == hi) {
      if (!known) {
        proof.add(rangeHash(lo, hi, nodes));
      }
      return;
    }
    long mid = lo + largestPowerOfTwoBelow(hi - lo);
    if (end <= mid) {
      subtreeProof(start, end, lo, mid, known, nodes, proof);
      proof.add(rangeHash(mid, hi, nodes));
    } else if (start >= mid) {
      subtreeProof(start, end, mid, hi, known, nodes, proof);
      proof.add(rangeHash(lo, mid, nodes));
    } else {
      subtreeProof(mid, end, mid, hi, false, nodes, proof);
      proof.add(rangeHash(lo, mid, nodes));
    }
  }

  // RFC 6962 2.1.1: PATH(m, D[lo:hi]); ranges are always aligned, so both halves are stored nodes
  // or right edges made of stored nodes.
  private static void path(long m, long lo, long hi, NodeReader nodes, List<byte[]> proof) {
    if (hi - lo == 1) {
      return;
    }
    long k = largestPowerOfTwoBelow(hi - lo);
    if (m - lo < k) {
      path(m, lo, lo + k, nodes, proof);
      proof.add(rangeHash(lo + k, hi, nodes));
    } else {
      path(m, lo + k, hi, nodes, proof);
      proof.add(rangeHash(lo, lo + k, nodes));
    }
  }

  // RFC 6962 2.1.2: SUBPROOF(m, D[lo:hi], b).
  private static void subproof(
      long m, long lo, long hi, boolean complete, NodeReader nodes, List<byte[]> proof) {
    if (m == hi - lo) {
      if (!complete) {
        proof.add(rangeHash(lo, hi, nodes));
      }
      return;
    }
    long k = largestPowerOfTwoBelow(hi - lo);
    if (m <= k) {
      subproof(m, lo, lo + k, complete, nodes, proof);
      proof.add(rangeHash(lo + k, hi, nodes));
    } else {
      subproof(m - k, lo + k, hi, false, nodes, proof);
      proof.add(rangeHash(lo, lo + k, nodes));
    }
  }

  /** MTH(D[lo:hi]) for a range starting at a multiple of its largest power-of-two part. */
  static byte[] rangeHash(long lo, long hi, NodeReader nodes) {
    long size = hi - lo;
    if (Long.bitCount(size) == 1) {
      int level = Long.numberOfTrailingZeros(size);
      return nodes.node(level, lo >>> level);
    }
    long k = largestPowerOfTwoBelow(size);
    int level = Long.numberOfTrailingZeros(k);
    return Rfc6962.nodeHash(nodes.node(level, lo >>> level), rangeHash(lo + k, hi, nodes));
  }

  /** The largest power of two strictly below {@code n} (n at least 2). Public for the verifier. */
  public static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
