package io.airgap.audit;

import io.airgap.audit.note.NoteVerifier;
import io.airgap.audit.tree.CompactRange;
import io.airgap.audit.tree.MerkleProofs;
import io.airgap.audit.tree.Rfc6962;
import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/**
 * Checks a log directory offline: the checkpoint's signature, every entry rehashed against the
 * level-0 tiles, every upper tile against the tiles below, every partial tile and bundle kept for
 * older checkpoints against the current ones, and the root against the checkpoint. With a state
 * file it also refuses a checkpoint smaller than, or not consistent with, the one it verified
 * before (rollback, fork). Immutable and thread-safe.
 */
public final class AuditVerifier {
  /** How long files of a commit in progress may wait for the checkpoint that covers them. */
  static final java.time.Duration COMMIT_WAIT = java.time.Duration.ofSeconds(2);

  private final List<NoteVerifier> verifiers;
  private final String origin;

  /**
   * A verifier trusting checkpoints signed by any of {@code verifiers}, for the log whose origin
   * line is the first key's name (as {@code airgap audit init} names keys).
   */
  public AuditVerifier(List<NoteVerifier> verifiers) {
    this(verifiers, verifiers.isEmpty() ? null : verifiers.get(0).name());
  }

  /** A verifier for the log with this origin, trusting checkpoints signed by any of the keys. */
  public AuditVerifier(List<NoteVerifier> verifiers, String origin) {
    if (verifiers.isEmpty()) {
      throw new IllegalArgumentException("at least one verifier key is required");
    }
    this.verifiers = List.copyOf(verifiers);
    this.origin = java.util.Objects.requireNonNull(origin, "origin");
  }

  /**
   * Verifies a whole directory.
   *
   * @return the verified checkpoint
   * @throws LogCorruptedException naming the entry index or file that does not match
   */
  public Checkpoint verify(Path directory) {
    Path file = directory.resolve("checkpoint");
    Checkpoint checkpoint = Checkpoint.open(read(file), verifiers, file.toString());
    if (!checkpoint.origin().equals(origin)) {
      throw new LogCorruptedException(
          file + " is a checkpoint of '" + checkpoint.origin() + "', not of '" + origin + "'");
    }
    List<Path> pending = new java.util.ArrayList<>();
    checkTopLevel(directory, pending);
    long size = checkpoint.size();
    TileReader tiles = new TileReader(directory, size);
    checkEntries(directory, size, tiles);
    checkUpperTiles(size, tiles);
    checkKeptFiles(directory, size, tiles, pending);
    byte[] root = CompactRange.of(size, tiles).root();
    if (!MessageDigest.isEqual(root, checkpoint.root())) {
      throw new LogCorruptedException(
          "the tiles of "
              + directory
              + " lead to another root than its checkpoint at size "
              + size);
    }
    if (!pending.isEmpty()) {
      awaitCommit(file, size, pending.get(0));
    }
    return checkpoint;
  }

  /**
   * Files a commit in progress writes (temporaries, tiles beyond the checkpoint) are explained only
   * by a commit: a newer signed checkpoint must appear within {@link #COMMIT_WAIT}. Otherwise they
   * are a crashed commit's leftovers (which reopening the log removes) or the sign of an older
   * checkpoint copied over the current one, and are reported.
   */
  private void awaitCommit(Path checkpointFile, long size, Path example) {
    long deadline = System.nanoTime() + COMMIT_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      Checkpoint now = Checkpoint.open(read(checkpointFile), verifiers, checkpointFile.toString());
      if (now.origin().equals(origin) && now.size() > size) {
        return;
      }
    }
    throw new LogCorruptedException(
        "unexpected file "
            + example
            + " in the log: it lies beyond the checkpoint at size "
            + size
            + " and no commit covered it within "
            + COMMIT_WAIT.toSeconds()
            + " s (a crashed commit leaves such files and reopening the log removes them; an"
            + " older checkpoint copied over the current one leaves them too)");
  }

  /**
   * Verifies a directory and checks it extends the checkpoint remembered in {@code stateFile}, then
   * remembers the new one (written atomically). A missing state file is a first verification.
   *
   * @throws LogCorruptedException on rollback (fewer entries than before) or fork (another history)
   */
  public Checkpoint verify(Path directory, Path stateFile) {
    Checkpoint current = verify(directory);
    Checkpoint previous = readState(stateFile);
    if (previous != null) {
      if (!previous.origin().equals(current.origin())) {
        throw new LogCorruptedException(
            directory
                + " is the log '"
                + current.origin()
                + "', but the state remembers '"
                + previous.origin()
                + "'");
      }
      if (current.size() < previous.size()) {
        throw new LogCorruptedException(
            directory
                + " holds "
                + current.size()
                + " entries, fewer than the "
                + previous.size()
                + " verified before: the log was rolled back");
      }
      byte[] oldRoot =
          previous.size() == 0
              ? Rfc6962.emptyRoot()
              : MerkleProofs.root(previous.size(), new TileReader(directory, current.size()));
      if (!MessageDigest.isEqual(oldRoot, previous.root())) {
        throw new LogCorruptedException(
            directory
                + " is not an extension of the checkpoint verified before at size "
                + previous.size()
                + ": the log forked or was rewritten");
      }
    }
    io.airgap.core.AtomicFiles.write(stateFile, current.text().getBytes(StandardCharsets.UTF_8));
    return current;
  }

  /**
   * Checks one C2SP tlog-proof file for an entry, offline: the checkpoint's signature by one of
   * this verifier's keys, and the inclusion of the entry under it.
   *
   * @return the checkpoint the entry is proven under
   * @throws LogCorruptedException when the file or its checkpoint is not valid
   * @throws io.airgap.audit.tree.ProofException when the entry is not proven
   */
  public Checkpoint verifyProof(byte[] proofFile, byte[] entry, String where) {
    return TlogProof.parse(proofFile, where).verify(entry, verifiers);
  }

  /**
   * A log directory holds its checkpoint, its tiles and the writer's lock, nothing else but, while
   * a writer commits, the checkpoint's temporary file.
   */
  private static void checkTopLevel(Path directory, List<Path> pending) {
    try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        String name = entry.getFileName().toString();
        boolean expected =
            name.equals("checkpoint")
                    && Files.isRegularFile(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                || name.equals(".lock")
                || name.equals("tile")
                    && Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!expected
            && name.equals(LogFiles.temporaryName("checkpoint"))
            && writersTemporary(entry)) {
          pending.add(entry);
        } else if (!expected) {
          throw new LogCorruptedException("unexpected " + entry + " in the log");
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  private static Checkpoint readState(Path stateFile) {
    try {
      return Checkpoint.parse(
          Files.readString(stateFile, StandardCharsets.UTF_8), stateFile.toString());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new InputException("cannot read " + stateFile + ": " + e.getMessage(), e);
    }
  }

  private static void checkEntries(Path directory, long size, TileReader tiles) {
    long bundles = (size + TileLayout.WIDTH - 1) / TileLayout.WIDTH;
    for (long n = 0; n < bundles; n++) {
      int width = TileLayout.width(0, n, size);
      Path path = TileLayout.bundle(directory, n, width);
      long first = n * TileLayout.WIDTH;
      List<byte[]> entries =
          EntryBundle.decode(TileReader.read(path, -1), width, first, path.toString());
      byte[] tile = tiles.tile(0, n);
      for (int i = 0; i < width; i++) {
        byte[] leaf = Rfc6962.leafHash(entries.get(i));
        if (!Arrays.equals(leaf, 0, 32, tile, i * 32, i * 32 + 32)) {
          throw new LogCorruptedException(
              "entry "
                  + (first + i)
                  + " ("
                  + path
                  + ") does not match its hash in tile "
                  + TileLayout.tile(directory, 0, n, width));
        }
      }
    }
  }

  private static void checkUpperTiles(long size, TileReader tiles) {
    for (int level = 1; level < 8; level++) {
      long perTile = 1L << (TileLayout.HEIGHT * level);
      long hashes = size / perTile;
      if (hashes == 0) {
        return;
      }
      for (long n = 0; n * TileLayout.WIDTH < hashes; n++) {
        byte[] tile = tiles.tile(level, n);
        for (int i = 0; i * 32 < tile.length; i++) {
          long below = n * TileLayout.WIDTH + i;
          byte[] expected = tiles.node(TileLayout.HEIGHT * level, below);
          byte[] computed = fold(tiles.tile(level - 1, below));
          if (!Arrays.equals(expected, computed)) {
            throw new LogCorruptedException(
                "tile "
                    + level
                    + "/"
                    + TileLayout.index(n)
                    + " hash "
                    + i
                    + " does not match the tile below it");
          }
        }
      }
    }
  }

  /**
   * Partial tiles and bundles kept for older checkpoints must be prefixes of the current ones.
   * Tiles and bundles beyond the checkpoint, and the writer's temporary files, are what a commit in
   * progress writes before it signs the checkpoint that covers them: they are collected in {@code
   * pending} and must be explained by a newer checkpoint (see {@link #awaitCommit}).
   */
  private static void checkKeptFiles(
      Path directory, long size, TileReader tiles, List<Path> pending) {
    for (TileFiles.Listed file : TileFiles.list(directory)) {
      TileLayout.Name name = file.name();
      if (name == null
              && file.regular()
              && LogFiles.isTemporaryName(file.path().getFileName().toString())
          || name != null && !TileFiles.within(name, size)) {
        pending.add(file.path());
        continue;
      }
      if (name == null) {
        throw new LogCorruptedException("unexpected file " + file.path() + " in the log");
      }
      if (name.isBundle()) {
        int current = TileLayout.width(0, name.n(), size);
        byte[] full = TileReader.read(TileLayout.bundle(directory, name.n(), current), -1);
        byte[] kept = TileReader.read(file.path(), -1);
        EntryBundle.decode(kept, name.width(), name.n() * TileLayout.WIDTH, file.path().toString());
        if (kept.length > full.length
            || !Arrays.equals(kept, 0, kept.length, full, 0, kept.length)) {
          throw new LogCorruptedException(
              file.path() + " does not match the entries of the current bundle");
        }
      } else {
        byte[] current = tiles.tile(name.level(), name.n());
        byte[] kept = TileReader.read(file.path(), name.width() * 32);
        if (!Arrays.equals(kept, 0, kept.length, current, 0, kept.length)) {
          throw new LogCorruptedException(
              file.path() + " does not match the hashes of the current tile");
        }
      }
    }
  }

  /**
   * A writer's temporary: so named, and a regular file or one already gone (renamed into place
   * since the directory was listed), judged from one look at the file so a rename and a new
   * temporary of the same name in between cannot mislead it.
   */
  private static boolean writersTemporary(Path file) {
    if (!LogFiles.isTemporaryName(file.getFileName().toString())) {
      return false;
    }
    try {
      return Files.readAttributes(
              file,
              java.nio.file.attribute.BasicFileAttributes.class,
              java.nio.file.LinkOption.NOFOLLOW_LINKS)
          .isRegularFile();
    } catch (NoSuchFileException gone) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] fold(byte[] tile) {
    byte[][] hashes = new byte[tile.length / 32][];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = Arrays.copyOfRange(tile, i * 32, i * 32 + 32);
    }
    for (int width = hashes.length; width > 1; width /= 2) {
      for (int i = 0; i < width / 2; i++) {
        hashes[i] = Rfc6962.nodeHash(hashes[2 * i], hashes[2 * i + 1]);
      }
    }
    return hashes[0];
  }

  private static byte[] read(Path file) {
    return TileReader.read(file, -1);
  }
}
