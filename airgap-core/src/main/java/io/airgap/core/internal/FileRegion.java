package io.airgap.core.internal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A byte range of a file to hash: a whole file, or one shard of it.
 *
 * @param path the file
 * @param offset the first byte
 * @param length the number of bytes to hash; exactly these are read
 * @param wholeFile whether the region must also be the end of the file: a file that has grown since
 *     it was listed is then an error, instead of its new bytes going unhashed
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

  /** The whole of a file whose listed size is {@code size}; a file of another size is an error. */
  public static FileRegion whole(Path path, long size) {
    return new FileRegion(path, 0, size, true);
  }

  /** Bytes {@code [start, end)} of a file. */
  public static FileRegion range(Path path, long start, long end) {
    return new FileRegion(path, start, end - start, false);
  }
}
