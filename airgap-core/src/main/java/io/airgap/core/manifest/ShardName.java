package io.airgap.core.manifest;

import io.airgap.core.FormatException;

/**
 * The name of one shard, {@code path:start:end}, covering bytes {@code [start, end)} of a file.
 *
 * @param path the file's relative name (it may itself contain colons)
 * @param start the first byte
 * @param end one past the last byte
 */
public record ShardName(String path, long start, long end) {
  /**
   * Parses a shard name, reading the two offsets from the right so that paths with colons work.
   *
   * @throws FormatException when the offsets are missing, not decimal, or out of order
   */
  public static ShardName parse(String name, String where) {
    int second = name.lastIndexOf(':');
    int first = second > 0 ? name.lastIndexOf(':', second - 1) : -1;
    if (first <= 0) {
      throw new FormatException(where + ": shard name '" + name + "' is not path:start:end");
    }
    long start = offset(name.substring(first + 1, second), name, where);
    long end = offset(name.substring(second + 1), name, where);
    if (end < start) {
      throw new FormatException(where + ": shard '" + name + "' ends before it starts");
    }
    return new ShardName(name.substring(0, first), start, end);
  }

  private static long offset(String text, String name, String where) {
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new FormatException(
          where + ": shard '" + name + "' has offset '" + text + "', not a decimal number");
    }
    return Long.parseLong(text);
  }

  /** The number of bytes the shard covers. */
  public long length() {
    return end - start;
  }

  @Override
  public String toString() {
    return path + ":" + start + ":" + end;
  }
}
