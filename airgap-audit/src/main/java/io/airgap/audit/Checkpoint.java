package io.airgap.audit;

import io.airgap.audit.note.NoteException;
import io.airgap.audit.note.NoteSignatureException;
import io.airgap.audit.note.NoteSigner;
import io.airgap.audit.note.NoteVerifier;
import io.airgap.audit.note.SignedNote;
import io.airgap.audit.tree.Rfc6962;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A C2SP tlog-checkpoint: the log's origin, its size and the RFC 6962 root of that many entries.
 * Immutable.
 *
 * @param origin the log's unique name (first line)
 * @param size the number of entries
 * @param root the Merkle root of those entries
 */
public record Checkpoint(String origin, long size, byte[] root) {
  /** Checks the parts. */
  public Checkpoint {
    Objects.requireNonNull(origin, "origin");
    if (origin.isEmpty() || origin.contains("\n")) {
      throw new IllegalArgumentException("a checkpoint origin must be one non-empty line");
    }
    if (size < 0) {
      throw new IllegalArgumentException("a checkpoint size must not be negative");
    }
    if (root.length != Rfc6962.HASH_SIZE) {
      throw new IllegalArgumentException("a checkpoint root must be 32 bytes");
    }
    root = root.clone();
  }

  /** A copy of the root. */
  @Override
  public byte[] root() {
    return root.clone();
  }

  /** The note text: origin, decimal size and base64 root, each ending in a newline. */
  public String text() {
    return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
  }

  /** The signed checkpoint note. */
  public String sign(NoteSigner signer) {
    return SignedNote.sign(text(), signer);
  }

  /**
   * Verifies a signed checkpoint note and parses it.
   *
   * @param where names the file in errors
   * @throws LogCorruptedException when the signature or the body is not valid
   */
  public static Checkpoint open(byte[] note, List<NoteVerifier> verifiers, String where) {
    String text;
    try {
      text = SignedNote.open(note, verifiers);
    } catch (NoteException | NoteSignatureException e) {
      throw new LogCorruptedException(where + ": " + e.getMessage());
    }
    return parse(text, where);
  }

  /** Parses a checkpoint body (tlog-checkpoint); extension lines are accepted and ignored. */
  public static Checkpoint parse(String text, String where) {
    String[] lines = text.split("\n", -1);
    if (lines.length < 4 || !lines[lines.length - 1].isEmpty()) {
      throw new LogCorruptedException(where + ": a checkpoint needs origin, size and root lines");
    }
    if (!lines[1].matches("0|[1-9][0-9]{0,17}")) {
      throw new LogCorruptedException(
          where + ": checkpoint size '" + lines[1] + "' is not a decimal number");
    }
    byte[] root;
    try {
      root = io.airgap.audit.note.SignedNote.strictBase64(lines[2]);
    } catch (IllegalArgumentException e) {
      throw new LogCorruptedException(where + ": checkpoint root is not base64");
    }
    if (root.length != Rfc6962.HASH_SIZE || lines[0].isEmpty()) {
      throw new LogCorruptedException(
          where + ": checkpoint root must be 32 bytes and origin non-empty");
    }
    for (int i = 3; i < lines.length - 1; i++) {
      if (lines[i].isEmpty()) {
        throw new LogCorruptedException(where + ": empty checkpoint extension line");
      }
    }
    return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Checkpoint that
        && origin.equals(that.origin)
        && size == that.size
        && Arrays.equals(root, that.root);
  }

  @Override
  public int hashCode() {
    return Objects.hash(origin, size, Arrays.hashCode(root));
  }

  @Override
  public String toString() {
    return text().replace('\n', ' ').trim();
  }
}
