package io.airgap.audit.tree;

import java.security.MessageDigest;
import java.util.List;

/**
 * Verifies RFC 9162 inclusion and consistency proofs (sections 2.1.3.2 and 2.1.4.2). Every check
 * failure throws {@link ProofException}; a proof that returns normally is valid. Stateless and
 * thread-safe.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /**
   * Checks that {@code leafHash} is entry {@code index} of the tree of {@code size} leaves whose
   * root is {@code root}.
   */
  public static void verifyInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
    byte[] computed = rootFromInclusion(index, size, leafHash, proof);
    if (!MessageDigest.isEqual(computed, root)) {
      throw new ProofException(
          "inclusion proof for entry " + index + " at size " + size + " leads to another root");
    }
  }

  /**
   * Checks that {@code leafHash} is entry {@code index} of the subtree of leaves {@code [start,
   * end)} whose root is {@code root}; a subtree must start at a multiple of the smallest power of
   * two at least as large as it (the subtrees of the Merkle Tree Certificates draft).
   */
  public static void verifySubtreeInclusion(
      long index, long start, long end, byte[] leafHash, List<byte[]> proof, byte[] root) {
    requireValidSubtree(start, end);
    if (index < start || index >= end) {
      throw new ProofException(
          "entry " + index + " is outside the subtree [" + start + ", " + end + ")");
    }
    verifyInclusion(index - start, end - start, leafHash, proof, root);
  }

  /**
   * Checks that the subtree of leaves {@code [start, end)} with root {@code subtreeRoot} is part of
   * the tree of {@code size} leaves with root {@code root}. The proof generalises RFC 6962's
   * SUBPROOF to a subtree that need not start at leaf 0: walking down from the whole tree, each
   * level whose split does not cut the subtree contributes the hash of the half that does not hold
   * it; where the subtree fills the left half, that half's hash is given and the walk goes on in
   * the right half with the subtree's remainder. Hashes are listed from the deepest level up.
   */
  public static void verifySubtreeConsistency(
      long start, long end, long size, byte[] subtreeRoot, byte[] root, List<byte[]> proof) {
    if (start == end && start >= 0 && start <= size) {
      // The empty subtree is part of every tree: its root must be the empty root, with no proof.
      if (!proof.isEmpty() || !MessageDigest.isEqual(subtreeRoot, Rfc6962.emptyRoot())) {
        throw new ProofException("an empty subtree needs the empty root and an empty proof");
      }
      return;
    }
    requireValidSubtree(start, end);
    if (end > size) {
      throw new ProofException("subtree [" + start + ", " + end + ") ends beyond size " + size);
    }
    if (start == 0 && end == size) {
      if (!proof.isEmpty()) {
        throw new ProofException("a subtree that is the whole tree needs an empty proof");
      }
      if (!MessageDigest.isEqual(subtreeRoot, root)) {
        throw new ProofException("a subtree that is the whole tree must have the tree's root");
      }
      return;
    }
    requireHash(subtreeRoot, "subtree root");
    requireHash(root, "root");
    proof.forEach(hash -> requireHash(hash, "proof hash"));
    if (proof.isEmpty()) {
      throw new ProofException("subtree consistency proof is empty");
    }
    SubtreeWalk walk = new SubtreeWalk(proof, subtreeRoot);
    byte[][] hashes = walk.hashes(start, end, 0, size, true);
    if (walk.remaining != 0) {
      throw new ProofException("subtree consistency proof is too long");
    }
    if (!MessageDigest.isEqual(hashes[0], subtreeRoot)) {
      throw new ProofException("subtree consistency proof does not lead to the subtree root");
    }
    if (!MessageDigest.isEqual(hashes[1], root)) {
      throw new ProofException(
          "subtree consistency proof does not lead to the root of size " + size);
    }
  }

  /** Consumes a subtree consistency proof from its last (topmost) hash down. */
  private static final class SubtreeWalk {
    private final List<byte[]> proof;
    private final byte[] subtreeRoot;
    private int remaining;

    SubtreeWalk(List<byte[]> proof, byte[] subtreeRoot) {
      this.proof = proof;
      this.subtreeRoot = subtreeRoot;
      this.remaining = proof.size();
    }

    private byte[] next() {
      if (remaining == 0) {
        throw new ProofException("subtree consistency proof is too short");
      }
      return proof.get(--remaining);
    }

    /** {subtree hash, range hash} for subtree [start, end) within leaves [lo, hi). */
    byte[][] hashes(long start, long end, long lo, long hi, boolean known) {
      if (start == lo && end == hi) {
        byte[] hash = known ? subtreeRoot : next();
        return new byte[][] {hash, hash};
      }
      long mid = lo + MerkleProofs.largestPowerOfTwoBelow(hi - lo);
      if (end <= mid) {
        byte[] right = next();
        byte[][] inner = hashes(start, end, lo, mid, known);
        return new byte[][] {inner[0], Rfc6962.nodeHash(inner[1], right)};
      }
      if (start >= mid) {
        byte[] left = next();
        byte[][] inner = hashes(start, end, mid, hi, known);
        return new byte[][] {inner[0], Rfc6962.nodeHash(left, inner[1])};
      }
      // The subtree starts at lo and fills the left half: it is given, the rest continues right.
      byte[] left = next();
      byte[][] inner = hashes(mid, end, mid, hi, false);
      return new byte[][] {Rfc6962.nodeHash(left, inner[0]), Rfc6962.nodeHash(left, inner[1])};
    }
  }

  private static void requireValidSubtree(long start, long end) {
    if (start < 0 || end <= start) {
      throw new ProofException("[" + start + ", " + end + ") is not a subtree");
    }
    long size = end - start;
    long alignment = Long.bitCount(size) == 1 ? size : Long.highestOneBit(size) << 1;
    if (start % alignment != 0) {
      throw new ProofException(
          "["
              + start
              + ", "
              + end
              + ") is not a subtree: "
              + start
              + " is not a multiple of "
              + alignment);
    }
  }

  /** The root an inclusion proof leads to (RFC 9162 2.1.3.2), for callers that compare later. */
  public static byte[] rootFromInclusion(
      long index, long size, byte[] leafHash, List<byte[]> proof) {
    if (index < 0 || index >= size) {
      throw new ProofException("entry " + index + " is outside a tree of size " + size);
    }
    requireHash(leafHash, "leaf hash");
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      requireHash(p, "proof hash");
      if (sn == 0) {
        throw new ProofException(
            "inclusion proof for entry " + index + " at size " + size + " is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = Rfc6962.nodeHash(p, r);
        if ((fn & 1) == 0) {
          do {
            fn >>= 1;
            sn >>= 1;
          } while ((fn & 1) == 0 && fn != 0);
        }
      } else {
        r = Rfc6962.nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          "inclusion proof for entry " + index + " at size " + size + " is too short");
    }
    return r;
  }

  /**
   * Checks that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
   * {@code size2} leaves with root {@code root2}.
   */
  public static void verifyConsistency(
      long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    if (size1 < 0 || size2 < size1) {
      throw new ProofException("sizes " + size1 + " and " + size2 + " are not in order");
    }
    if (size1 == 0) {
      // Every tree extends the empty one: such a proof proves nothing and is refused, as
      // transparency-dev's verifier does.
      throw new ProofException("a consistency proof from the empty tree proves nothing");
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new ProofException("a consistency proof between equal sizes must be empty");
      }
      if (!MessageDigest.isEqual(root1, root2)) {
        throw new ProofException("two different roots for the same size " + size1);
      }
      return;
    }
    requireHash(root1, "first root");
    requireHash(root2, "second root");
    if (proof.isEmpty()) {
      throw new ProofException("consistency proof from " + size1 + " to " + size2 + " is empty");
    }
    checkConsistencyPath(size1, size2, root1, root2, proof);
  }

  private static void checkConsistencyPath(
      long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof) {
    proof.forEach(hash -> requireHash(hash, "proof hash"));
    int start = 0;
    byte[] seed;
    if (Long.bitCount(size1) == 1) {
      // The first tree is a complete subtree of the second: its root starts the path.
      seed = root1;
    } else {
      seed = proof.get(0);
      start = 1;
    }
    long fn = size1 - 1;
    long sn = size2 - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    byte[] fr = seed;
    byte[] sr = seed;
    for (int i = start; i < proof.size(); i++) {
      byte[] c = proof.get(i);
      if (sn == 0) {
        throw new ProofException(
            "consistency proof from " + size1 + " to " + size2 + " is too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = Rfc6962.nodeHash(c, fr);
        sr = Rfc6962.nodeHash(c, sr);
        if ((fn & 1) == 0) {
          do {
            fn >>= 1;
            sn >>= 1;
          } while ((fn & 1) == 0 && fn != 0);
        }
      } else {
        sr = Rfc6962.nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      throw new ProofException(
          "consistency proof from " + size1 + " to " + size2 + " is too short");
    }
    if (!MessageDigest.isEqual(fr, root1)) {
      throw new ProofException("consistency proof does not lead to the root of size " + size1);
    }
    if (!MessageDigest.isEqual(sr, root2)) {
      throw new ProofException("consistency proof does not lead to the root of size " + size2);
    }
  }

  private static void requireHash(byte[] hash, String what) {
    if (hash == null || hash.length != Rfc6962.HASH_SIZE) {
      throw new ProofException(what + " must be " + Rfc6962.HASH_SIZE + " bytes");
    }
  }
}
