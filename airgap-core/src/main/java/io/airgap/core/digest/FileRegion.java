package io.airgap.core.digest;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A byte range of a file to hash: a whole file, or one shard of it.
 *
 * @param path the file
 * @param offset the first byte
 * @param length the number of bytes; for a whole file, its size when it was listed (used only to
 *     schedule the largest work first, since the whole file is hashed to its end)
 * @param wholeFile whether to hash from {@code offset} to the end of the file, whatever its size
 */
public record FileRegion(Path path, long offset, long length, boolean wholeFile) {
  /** Validates the range. */
  public FileRegion {
    Objects.requireNonNull(path, "path");
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException(
          "negative offset or length for " + path + ": " + offset + ", " + length);
    }
  }

  /** The whole of a file whose listed size is {@code size}. */
  public static FileRegion whole(Path path, long size) {
    return new FileRegion(path, 0, size, true);
  }

  /** Bytes {@code [start, end)} of a file. */
  public static FileRegion range(Path path, long start, long end) {
    return new FileRegion(path, start, end - start, false);
  }
}
