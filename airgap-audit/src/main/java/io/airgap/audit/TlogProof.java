package io.airgap.audit;

import io.airgap.audit.note.NoteVerifier;
import io.airgap.audit.tree.ProofVerifier;
import io.airgap.audit.tree.Rfc6962;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-proof: evidence, for an auditor outside the gap, that one entry is in the log. The
 * text is {@code c2sp.org/tlog-proof@v1}, an optional {@code extra} line, {@code index N}, the
 * inclusion proof hashes in base64, a blank line, and the signed checkpoint verbatim. The entry
 * itself travels beside it. Immutable.
 *
 * @param index the entry's index
 * @param proof the inclusion proof, leaf side first
 * @param checkpointNote the signed checkpoint the proof leads to, byte for byte
 */
public record TlogProof(long index, List<byte[]> proof, String checkpointNote) {
  /** The header line. */
  public static final String HEADER = "c2sp.org/tlog-proof@v1";

  /** The largest proof file read. */
  public static final int MAX_BYTES = 64 * 1024;

  /** Copies the proof. */
  public TlogProof {
    Objects.requireNonNull(checkpointNote, "checkpointNote");
    proof = List.copyOf(proof);
  }

  /** The proof file's text. */
  public String encode() {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    text.append("index ").append(index).append('\n');
    for (byte[] hash : proof) {
      text.append(Base64.getEncoder().encodeToString(hash)).append('\n');
    }
    return text.append('\n').append(checkpointNote).toString();
  }

  /**
   * Parses a proof file.
   *
   * @throws io.airgap.core.FormatException naming what is malformed
   */
  public static TlogProof parse(byte[] bytes, String where) {
    if (bytes.length > MAX_BYTES) {
      throw new io.airgap.core.FormatException(where + " is larger than " + MAX_BYTES + " bytes");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    int blank = text.indexOf("\n\n");
    if (blank < 0) {
      throw new io.airgap.core.FormatException(
          where + " is not a tlog-proof: no blank line before the checkpoint");
    }
    String[] lines = text.substring(0, blank).split("\n", -1);
    if (!lines[0].equals(HEADER)) {
      throw new io.airgap.core.FormatException(
          where + " is not a tlog-proof: first line is not " + HEADER);
    }
    int at = 1;
    if (at < lines.length && lines[at].startsWith("extra ")) {
      at++;
    }
    if (at >= lines.length || !lines[at].matches("index (0|[1-9][0-9]{0,17})")) {
      throw new io.airgap.core.FormatException(where + ": missing or malformed 'index' line");
    }
    long index = Long.parseLong(lines[at].substring("index ".length()));
    List<byte[]> proof = new ArrayList<>();
    for (int i = at + 1; i < lines.length; i++) {
      byte[] hash;
      try {
        hash = io.airgap.audit.note.SignedNote.strictBase64(lines[i]);
      } catch (IllegalArgumentException e) {
        throw new io.airgap.core.FormatException(
            where + ": proof line " + (i + 1) + " is not base64");
      }
      if (hash.length != Rfc6962.HASH_SIZE) {
        throw new io.airgap.core.FormatException(
            where + ": proof line " + (i + 1) + " is not a 32-byte hash");
      }
      proof.add(hash);
    }
    return new TlogProof(index, proof, text.substring(blank + 2));
  }

  /**
   * Checks the checkpoint's signature and that {@code entry} is at {@link #index()} under it.
   *
   * @return the checkpoint the entry is proven under
   * @throws LogCorruptedException when the checkpoint is not validly signed
   * @throws io.airgap.audit.tree.ProofException when the proof does not hold
   */
  public Checkpoint verify(byte[] entry, List<NoteVerifier> verifiers) {
    Checkpoint checkpoint =
        Checkpoint.open(
            checkpointNote.getBytes(StandardCharsets.UTF_8), verifiers, "tlog-proof checkpoint");
    ProofVerifier.verifyInclusion(
        index, checkpoint.size(), Rfc6962.leafHash(entry), proof, checkpoint.root());
    return checkpoint;
  }
}
