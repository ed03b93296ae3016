package io.airgap.audit;

import io.airgap.audit.tree.CompactRange;
import io.airgap.audit.tree.Rfc6962;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory right edge of a log: the compact range for the root, the hashes of the partial tile
 * at every level and the entries of the partial bundle. Appending fills them and collects the files
 * the next commit must write. Not thread-safe; owned by the committing thread.
 */
final class LogWriterState {
  private static final int LEVELS = 8;

  private final Path root;
  private CompactRange range;
  private final List<List<byte[]>> edge = new ArrayList<>();
  private final long[] hashesAtLevel = new long[LEVELS];
  private final List<byte[]> bundle = new ArrayList<>();
  private final List<PendingFile> pending = new ArrayList<>();

  /** A file a commit must write. */
  record PendingFile(Path path, byte[] bytes) {}

  private LogWriterState(Path root, CompactRange range) {
    this.root = root;
    this.range = range;
    for (int i = 0; i < LEVELS; i++) {
      edge.add(new ArrayList<>());
    }
  }

  /** The state of a log of {@code size} entries, read from its tiles and partial bundle. */
  static LogWriterState load(Path root, long size) {
    TileReader tiles = new TileReader(root, size);
    LogWriterState state = new LogWriterState(root, CompactRange.of(size, tiles));
    for (int level = 0; level < LEVELS; level++) {
      long hashes = level * TileLayout.HEIGHT >= 63 ? 0 : size >>> (TileLayout.HEIGHT * level);
      state.hashesAtLevel[level] = hashes;
      int width = (int) (hashes % TileLayout.WIDTH);
      if (width > 0) {
        byte[] tile = tiles.tile(level, hashes / TileLayout.WIDTH);
        for (int i = 0; i < width; i++) {
          byte[] hash = new byte[Rfc6962.HASH_SIZE];
          System.arraycopy(tile, i * Rfc6962.HASH_SIZE, hash, 0, Rfc6962.HASH_SIZE);
          state.edge.get(level).add(hash);
        }
      }
    }
    int width = (int) (size % TileLayout.WIDTH);
    if (width > 0) {
      long n = size / TileLayout.WIDTH;
      Path path = TileLayout.bundle(root, n, width);
      state.bundle.addAll(
          EntryBundle.decode(
              TileReader.read(path, -1), width, n * TileLayout.WIDTH, path.toString()));
    }
    return state;
  }

  long size() {
    return range.size();
  }

  byte[] root() {
    return range.root();
  }

  /** Appends one entry; returns its leaf hash. */
  byte[] append(byte[] entry) {
    byte[] leaf = Rfc6962.leafHash(entry);
    long index = range.size();
    range.append(leaf);
    bundle.add(entry);
    if (bundle.size() == TileLayout.WIDTH) {
      pending.add(
          new PendingFile(
              TileLayout.bundle(root, index / TileLayout.WIDTH, TileLayout.WIDTH),
              EntryBundle.encode(bundle)));
      bundle.clear();
    }
    addHash(0, leaf);
    return leaf;
  }

  private void addHash(int level, byte[] hash) {
    List<byte[]> tile = edge.get(level);
    tile.add(hash);
    hashesAtLevel[level]++;
    if (tile.size() == TileLayout.WIDTH) {
      long n = (hashesAtLevel[level] - 1) / TileLayout.WIDTH;
      pending.add(new PendingFile(TileLayout.tile(root, level, n, TileLayout.WIDTH), concat(tile)));
      byte[] tileRoot = perfectRoot(tile);
      tile.clear();
      addHash(level + 1, tileRoot);
    }
  }

  /** The files of everything appended since the last call: full tiles, then the partial edges. */
  List<PendingFile> drainFiles() {
    List<PendingFile> files = new ArrayList<>(pending);
    pending.clear();
    long size = range.size();
    if (!bundle.isEmpty()) {
      files.add(
          new PendingFile(
              TileLayout.bundle(root, size / TileLayout.WIDTH, bundle.size()),
              EntryBundle.encode(bundle)));
    }
    for (int level = 0; level < LEVELS; level++) {
      List<byte[]> tile = edge.get(level);
      if (!tile.isEmpty()) {
        long n = hashesAtLevel[level] / TileLayout.WIDTH;
        files.add(new PendingFile(TileLayout.tile(root, level, n, tile.size()), concat(tile)));
      }
    }
    return files;
  }

  private static byte[] concat(List<byte[]> hashes) {
    byte[] bytes = new byte[hashes.size() * Rfc6962.HASH_SIZE];
    for (int i = 0; i < hashes.size(); i++) {
      System.arraycopy(hashes.get(i), 0, bytes, i * Rfc6962.HASH_SIZE, Rfc6962.HASH_SIZE);
    }
    return bytes;
  }

  /** The root of a full tile: a perfect tree of 256 hashes. */
  private static byte[] perfectRoot(List<byte[]> hashes) {
    List<byte[]> level = new ArrayList<>(hashes);
    while (level.size() > 1) {
      List<byte[]> up = new ArrayList<>(level.size() / 2);
      for (int i = 0; i < level.size(); i += 2) {
        up.add(Rfc6962.nodeHash(level.get(i), level.get(i + 1)));
      }
      level = up;
    }
    return level.get(0);
  }
}
