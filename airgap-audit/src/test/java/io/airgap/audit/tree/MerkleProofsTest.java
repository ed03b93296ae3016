package io.airgap.audit.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Proofs computed from stored nodes against a naive recursive reference (RFC 6962 section 2.1
 * written as plainly as possible), for every tree size up to 1,000 and random sizes up to 10^6.
 */
class MerkleProofsTest {
  private static final HexFormat HEX = HexFormat.of();

  /** Leaf hashes of entries "0", "1", ... and every complete subtree above them. */
  private static final class Tree implements NodeReader {
    final List<List<byte[]>> levels = new ArrayList<>();

    Tree(long size) {
      List<byte[]> leaves = new ArrayList<>();
      for (long i = 0; i < size; i++) {
        leaves.add(Rfc6962.leafHash(Long.toString(i).getBytes()));
      }
      levels.add(leaves);
      while (levels.get(levels.size() - 1).size() > 1) {
        List<byte[]> below = levels.get(levels.size() - 1);
        List<byte[]> above = new ArrayList<>();
        for (int i = 0; i + 1 < below.size(); i += 2) {
          above.add(Rfc6962.nodeHash(below.get(i), below.get(i + 1)));
        }
        levels.add(above);
      }
    }

    @Override
    public byte[] node(int level, long index) {
      return levels.get(level).get((int) index);
    }

    List<byte[]> leaves() {
      return levels.get(0);
    }
  }

  // --- the reference, straight from RFC 6962 2.1 over D[lo:hi], memoised so that every proof of
  // every size stays affordable; nothing in it knows about aligned nodes or tiles ---

  private static final class Reference {
    final List<byte[]> leaves;
    final java.util.Map<Long, byte[]> memo = new java.util.HashMap<>();

    Reference(List<byte[]> leaves) {
      this.leaves = leaves;
    }

    byte[] mth(int lo, int hi) {
      if (hi == lo) {
        return Rfc6962.emptyRoot();
      }
      if (hi - lo == 1) {
        return leaves.get(lo);
      }
      long key = ((long) lo << 32) | hi;
      byte[] cached = memo.get(key);
      if (cached != null) {
        return cached;
      }
      int k = Integer.highestOneBit(hi - lo - 1);
      byte[] hash = Rfc6962.nodeHash(mth(lo, lo + k), mth(lo + k, hi));
      memo.put(key, hash);
      return hash;
    }

    List<byte[]> path(int m, int lo, int hi) {
      List<byte[]> path = new ArrayList<>();
      if (hi - lo <= 1) {
        return path;
      }
      int k = Integer.highestOneBit(hi - lo - 1);
      if (m < k) {
        path.addAll(path(m, lo, lo + k));
        path.add(mth(lo + k, hi));
      } else {
        path.addAll(path(m - k, lo + k, hi));
        path.add(mth(lo, lo + k));
      }
      return path;
    }

    List<byte[]> subproof(int m, int lo, int hi, boolean b) {
      List<byte[]> proof = new ArrayList<>();
      if (m == hi - lo) {
        if (!b) {
          proof.add(mth(lo, hi));
        }
        return proof;
      }
      int k = Integer.highestOneBit(hi - lo - 1);
      if (m <= k) {
        proof.addAll(subproof(m, lo, lo + k, b));
        proof.add(mth(lo + k, hi));
      } else {
        proof.addAll(subproof(m - k, lo + k, hi, false));
        proof.add(mth(lo, lo + k));
      }
      return proof;
    }
  }

  private static List<String> hex(List<byte[]> hashes) {
    return hashes.stream().map(HEX::formatHex).toList();
  }

  @Test
  void rfc6962EightLeafRoot() {
    String[] leaves = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    CompactRange range = new CompactRange();
    for (String leaf : leaves) {
      range.append(Rfc6962.leafHash(HEX.parseHex(leaf)));
    }

    assertThat(HEX.formatHex(range.root()))
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    assertThat(HEX.formatHex(new CompactRange().root()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void rfc6962EightLeafTableEveryInclusionAndConsistencyProof() {
    String[] hex = {
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f"
    };
    List<byte[]> leaves = new ArrayList<>();
    for (String leaf : hex) {
      leaves.add(Rfc6962.leafHash(HEX.parseHex(leaf)));
    }
    NodeReader nodes =
        (level, index) -> {
          Reference reference = new Reference(leaves);
          return reference.mth((int) (index << level), (int) ((index + 1) << level));
        };
    Reference reference = new Reference(leaves);
    for (int n = 1; n <= 8; n++) {
      byte[] root = reference.mth(0, n);
      for (int m = 0; m < n; m++) {
        ProofVerifier.verifyInclusion(
            m, n, leaves.get(m), MerkleProofs.inclusion(m, n, nodes), root);
      }
      for (int m = 1; m <= n; m++) {
        ProofVerifier.verifyConsistency(
            m, n, reference.mth(0, m), root, MerkleProofs.consistency(m, n, nodes));
      }
    }
    assertThat(HEX.formatHex(reference.mth(0, 8)))
        .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  }

  @Test
  void everySizeUpToAThousandMatchesTheReference() {
    Tree tree = new Tree(1000);
    Reference reference = new Reference(tree.leaves());
    CompactRange range = new CompactRange();
    for (int n = 1; n <= 1000; n++) {
      range.append(tree.leaves().get(n - 1));
      List<byte[]> d = tree.leaves().subList(0, n);
      byte[] root = reference.mth(0, n);
      assertThat(range.root()).as("root at %d", n).isEqualTo(root);
      assertThat(MerkleProofs.root(n, tree)).isEqualTo(root);
      assertThat(CompactRange.of(n, tree).root()).isEqualTo(root);
      for (int m = 0; m < n; m++) {
        List<byte[]> proof = MerkleProofs.inclusion(m, n, tree);
        assertThat(hex(proof))
            .as("inclusion %d in %d", m, n)
            .isEqualTo(hex(reference.path(m, 0, n)));
        ProofVerifier.verifyInclusion(m, n, d.get(m), proof, root);
      }
      for (int m = 1; m <= n; m++) {
        List<byte[]> proof = MerkleProofs.consistency(m, n, tree);
        assertThat(hex(proof))
            .as("consistency %d to %d", m, n)
            .isEqualTo(hex(reference.subproof(m, 0, n, true)));
        ProofVerifier.verifyConsistency(m, n, reference.mth(0, m), root, proof);
      }
    }
  }

  @Test
  void randomSizesUpToAMillionMatchTheReference() {
    Random random = new Random(6962);
    Tree tree = new Tree(1_000_000);
    Reference reference = new Reference(tree.leaves());
    for (int round = 0; round < 20; round++) {
      int n = 1 + random.nextInt(1_000_000);
      List<byte[]> d = tree.leaves().subList(0, n);
      byte[] root = MerkleProofs.root(n, tree);
      int m = random.nextInt(n);
      int from = 1 + random.nextInt(n);
      ProofVerifier.verifyInclusion(m, n, d.get(m), MerkleProofs.inclusion(m, n, tree), root);
      ProofVerifier.verifyConsistency(
          from, n, MerkleProofs.root(from, tree), root, MerkleProofs.consistency(from, n, tree));
      assertThat(root).isEqualTo(reference.mth(0, n));
      assertThat(hex(MerkleProofs.inclusion(m, n, tree))).isEqualTo(hex(reference.path(m, 0, n)));
      assertThat(hex(MerkleProofs.consistency(from, n, tree)))
          .isEqualTo(hex(reference.subproof(from, 0, n, true)));
    }
  }

  @Test
  void everySubtreeOfEveryTreeUpToTwoHundredProvesConsistent() {
    Tree tree = new Tree(200);
    Reference reference = new Reference(tree.leaves());
    for (int n = 1; n <= 200; n++) {
      byte[] root = reference.mth(0, n);
      for (int width = 1; width <= n; width++) {
        int alignment = Integer.bitCount(width) == 1 ? width : Integer.highestOneBit(width) << 1;
        for (int start = 0; start + width <= n; start += alignment) {
          List<byte[]> proof = MerkleProofs.subtreeConsistency(start, start + width, n, tree);
          ProofVerifier.verifySubtreeConsistency(
              start, start + width, n, reference.mth(start, start + width), root, proof);
        }
      }
    }
  }

  @Test
  void tamperedProofsFail() {
    Tree tree = new Tree(37);
    byte[] root = MerkleProofs.root(37, tree);
    List<byte[]> proof = MerkleProofs.inclusion(12, 37, tree);
    List<byte[]> flipped = new ArrayList<>(proof);
    byte[] changed = Arrays.copyOf(proof.get(2), 32);
    changed[7] ^= 1;
    flipped.set(2, changed);

    assertThatThrownBy(
            () -> ProofVerifier.verifyInclusion(12, 37, tree.leaves().get(12), flipped, root))
        .isInstanceOf(ProofException.class)
        .hasMessage("inclusion proof for entry 12 at size 37 leads to another root");
    assertThatThrownBy(() -> MerkleProofs.inclusion(37, 37, tree))
        .isInstanceOf(ProofException.class)
        .hasMessage("entry 37 is outside a tree of size 37");
  }
}
