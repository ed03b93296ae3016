package io.airgap.audit;

import io.airgap.audit.tree.NodeReader;
import io.airgap.audit.tree.Rfc6962;
import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads complete-subtree hashes from the tiles of a log directory, for a tree of a given size: a
 * node at level {@code l} is found in the tile at level {@code l / 8} and folded from {@code 2^(l %
 * 8)} of its hashes. Recently read tiles are cached. Not thread-safe.
 */
final class TileReader implements NodeReader {
  private static final int CACHE_TILES = 64;

  private final Path root;
  private final long size;
  private final Map<String, byte[]> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
          return size() > CACHE_TILES;
        }
      };

  TileReader(Path root, long size) {
    this.root = root;
    this.size = size;
  }

  @Override
  public byte[] node(int level, long index) {
    int tileLevel = level / TileLayout.HEIGHT;
    int sub = level % TileLayout.HEIGHT;
    long first = index << sub;
    long tileIndex = first / TileLayout.WIDTH;
    int offset = (int) (first % TileLayout.WIDTH);
    byte[] tile = tile(tileLevel, tileIndex);
    int count = 1 << sub;
    if ((offset + count) * Rfc6962.HASH_SIZE > tile.length) {
      throw new LogCorruptedException(
          "tile "
              + TileLayout.tile(root, tileLevel, tileIndex, tile.length / 32)
              + " has no node "
              + index
              + " at level "
              + level);
    }
    byte[][] hashes = new byte[count][];
    for (int i = 0; i < count; i++) {
      int at = (offset + i) * Rfc6962.HASH_SIZE;
      hashes[i] = Arrays.copyOfRange(tile, at, at + Rfc6962.HASH_SIZE);
    }
    for (int width = count; width > 1; width /= 2) {
      for (int i = 0; i < width / 2; i++) {
        hashes[i] = Rfc6962.nodeHash(hashes[2 * i], hashes[2 * i + 1]);
      }
    }
    return hashes[0];
  }

  /** The hashes of one tile as the tree of this size has it (full or partial). */
  byte[] tile(int level, long n) {
    int width = TileLayout.width(level, n, size);
    if (width == 0) {
      throw new LogCorruptedException(
          "tile " + level + "/" + TileLayout.index(n) + " is beyond size " + size);
    }
    Path path = TileLayout.tile(root, level, n, width);
    return cache.computeIfAbsent(path.toString(), key -> read(path, width * Rfc6962.HASH_SIZE));
  }

  /** Reads a file that must be exactly {@code length} bytes. */
  static byte[] read(Path path, int length) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new LogCorruptedException(path + " is missing");
    } catch (IOException e) {
      throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
    }
    if (length >= 0 && bytes.length != length) {
      throw new LogCorruptedException(path + " is " + bytes.length + " bytes, expected " + length);
    }
    return bytes;
  }
}
