package io.airgap.audit;

import java.nio.file.Path;

/**
 * C2SP tlog-tiles paths: {@code tile/<L>/<N>[.p/<W>]} and {@code tile/entries/<N>[.p/<W>]}, with N
 * written in 3-digit groups, all but the last prefixed by {@code x}. Tiles are 256 hashes wide
 * (height 8). Stateless.
 */
final class TileLayout {
  static final int WIDTH = 256;
  static final int HEIGHT = 8;

  private TileLayout() {}

  /** {@code 1234067 -> x001/x234/067}, {@code 0 -> 000}. */
  static String index(long n) {
    String digits = Long.toString(n);
    int groups = (digits.length() + 2) / 3;
    String padded = "0".repeat(groups * 3 - digits.length()) + digits;
    StringBuilder path = new StringBuilder();
    for (int g = 0; g < groups; g++) {
      if (g > 0) {
        path.append('/');
      }
      if (g < groups - 1) {
        path.append('x');
      }
      path.append(padded, g * 3, g * 3 + 3);
    }
    return path.toString();
  }

  /** A hash tile: full when {@code width == 256}, else partial. */
  static Path tile(Path root, int level, long n, int width) {
    return root.resolve("tile/" + level + "/" + index(n) + partial(width));
  }

  /** An entry bundle: full when {@code width == 256}, else partial. */
  static Path bundle(Path root, long n, int width) {
    return root.resolve("tile/entries/" + index(n) + partial(width));
  }

  private static String partial(int width) {
    return width == WIDTH ? "" : ".p/" + width;
  }

  /**
   * A file of the tile tree, parsed back from its path.
   *
   * @param level the tile level, or -1 for an entry bundle
   * @param n the tile index
   * @param width 256 for a full tile, else the partial width
   */
  record Name(int level, long n, int width) {
    boolean isBundle() {
      return level < 0;
    }
  }

  /** Parses a path under {@code tile/}, or returns null when it is not a tile or bundle name. */
  static Name parse(String relative) {
    String[] parts = relative.split("/");
    if (parts.length < 2) {
      return null;
    }
    int level;
    if (parts[0].equals("entries")) {
      level = -1;
    } else if (parts[0].matches("[0-7]")) {
      // A log of fewer than 2^63 entries has tiles at levels 0 to 7 only.
      level = Integer.parseInt(parts[0]);
    } else {
      return null;
    }
    int width = WIDTH;
    int last = parts.length - 1;
    if (parts.length >= 3
        && parts[last - 1].endsWith(".p")
        && parts[last].matches("[1-9][0-9]{0,2}")) {
      width = Integer.parseInt(parts[last]);
      if (width >= WIDTH) {
        return null;
      }
      parts[last - 1] = parts[last - 1].substring(0, parts[last - 1].length() - 2);
      last--;
    }
    StringBuilder digits = new StringBuilder();
    for (int i = 1; i <= last; i++) {
      boolean mustHaveX = i < last;
      String group = parts[i];
      if (mustHaveX ? !group.matches("x[0-9]{3}") : !group.matches("[0-9]{3}")) {
        return null;
      }
      digits.append(mustHaveX ? group.substring(1) : group);
    }
    if (digits.length() > 18) {
      return null;
    }
    long n = Long.parseLong(digits.toString());
    String canonical = String.join("/", java.util.Arrays.copyOfRange(parts, 1, last + 1));
    return index(n).equals(canonical) ? new Name(level, n, width) : null;
  }

  /**
   * The width of tile {@code n} at {@code level} in a tree of {@code size}: 0 if it does not exist.
   */
  static int width(int level, long n, long size) {
    if (HEIGHT * level >= 63) {
      return 0;
    }
    long perTile = 1L << (HEIGHT * level);
    long hashesAtLevel = size / perTile;
    long start = n * WIDTH;
    if (hashesAtLevel <= start) {
      return 0;
    }
    return (int) Math.min(WIDTH, hashesAtLevel - start);
  }
}
