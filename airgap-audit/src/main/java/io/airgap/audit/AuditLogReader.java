package io.airgap.audit;

import io.airgap.audit.note.NoteVerifier;
import io.airgap.audit.tree.MerkleProofs;
import io.airgap.audit.tree.ProofException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a log directory at its signed checkpoint, without the writer's lock: entries, inclusion
 * proofs (as C2SP tlog-proof files) and consistency proofs, all from the tiles in O(log n) reads.
 * Not thread-safe (it caches tiles); open one per thread.
 */
public final class AuditLogReader {
  private final Path directory;
  private final String checkpointNote;
  private final Checkpoint checkpoint;
  private final TileReader tiles;

  private AuditLogReader(Path directory, String note, Checkpoint checkpoint) {
    this.directory = directory;
    this.checkpointNote = note;
    this.checkpoint = checkpoint;
    this.tiles = new TileReader(directory, checkpoint.size());
  }

  /**
   * Opens a directory, checking its checkpoint's signature.
   *
   * @throws LogCorruptedException when the checkpoint is missing or not validly signed
   */
  public static AuditLogReader open(Path directory, List<NoteVerifier> verifiers) {
    Path file = directory.resolve("checkpoint");
    byte[] note = TileReader.read(file, -1);
    Checkpoint checkpoint = Checkpoint.open(note, verifiers, file.toString());
    return new AuditLogReader(directory, new String(note, StandardCharsets.UTF_8), checkpoint);
  }

  /** The signed checkpoint read. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** Entry {@code index}, as stored. */
  public byte[] entry(long index) {
    requireIndex(index);
    long n = index / TileLayout.WIDTH;
    int width = TileLayout.width(0, n, checkpoint.size());
    Path path = TileLayout.bundle(directory, n, width);
    return EntryBundle.decode(
            TileReader.read(path, -1), width, n * TileLayout.WIDTH, path.toString())
        .get((int) (index % TileLayout.WIDTH));
  }

  /** The tlog-proof of entry {@code index} under the current checkpoint. */
  public TlogProof prove(long index) {
    requireIndex(index);
    return new TlogProof(
        index, MerkleProofs.inclusion(index, checkpoint.size(), tiles), checkpointNote);
  }

  /**
   * The consistency proof from size {@code from} to size {@code to}, both at most the checkpoint's
   * size.
   */
  public List<byte[]> consistency(long from, long to) {
    if (to > checkpoint.size()) {
      throw new ProofException(
          "size " + to + " is beyond the checkpoint's " + checkpoint.size() + " entries");
    }
    return MerkleProofs.consistency(from, to, tiles);
  }

  /**
   * Exports entries {@code [from, to)} to carry out of the gap: for each, {@code <index>.entry}
   * (the entry as stored) and {@code <index>.tlog-proof} (its C2SP tlog-proof under the current
   * checkpoint), plus the signed {@code checkpoint}. Each pair verifies on its own with the
   * verifier key, so an auditor needs nothing else.
   *
   * @return the number of entries exported
   */
  public long export(long from, long to, Path out) {
    if (from < 0 || to > checkpoint.size() || from >= to) {
      throw new ProofException(
          "range ["
              + from
              + ", "
              + to
              + ") is not within the log's "
              + checkpoint.size()
              + " entries");
    }
    try {
      java.nio.file.Files.createDirectories(out);
    } catch (java.io.IOException e) {
      throw new io.airgap.core.InputException("cannot create " + out + ": " + e.getMessage(), e);
    }
    io.airgap.core.AtomicFiles.write(
        out.resolve("checkpoint"), checkpointNote.getBytes(StandardCharsets.UTF_8));
    for (long index = from; index < to; index++) {
      io.airgap.core.AtomicFiles.write(out.resolve(index + ".entry"), entry(index));
      io.airgap.core.AtomicFiles.write(
          out.resolve(index + ".tlog-proof"),
          prove(index).encode().getBytes(StandardCharsets.UTF_8));
    }
    return to - from;
  }

  /** The root of the first {@code size} entries. */
  public byte[] root(long size) {
    if (size > checkpoint.size()) {
      throw new ProofException(
          "size " + size + " is beyond the checkpoint's " + checkpoint.size() + " entries");
    }
    return MerkleProofs.root(size, tiles);
  }

  private void requireIndex(long index) {
    if (index < 0 || index >= checkpoint.size()) {
      throw new ProofException(
          "entry " + index + " is outside the log, which holds " + checkpoint.size() + " entries");
    }
  }
}
