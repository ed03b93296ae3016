package io.airgap.audit;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** C2SP tlog-tiles entry bundles: entries prefixed with their big-endian uint16 length. */
final class EntryBundle {
  private EntryBundle() {}

  static byte[] encode(List<byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] entry : entries) {
      out.write(entry.length >>> 8);
      out.write(entry.length & 0xff);
      out.writeBytes(entry);
    }
    return out.toByteArray();
  }

  /**
   * Splits a bundle that must hold exactly {@code count} entries.
   *
   * @param where names the file, and {@code firstIndex} numbers its entries, in errors
   */
  static List<byte[]> decode(byte[] bundle, int count, long firstIndex, String where) {
    List<byte[]> entries = new ArrayList<>(count);
    int at = 0;
    while (at < bundle.length) {
      if (at + 2 > bundle.length) {
        throw new LogCorruptedException(
            where + ": truncated length of entry " + (firstIndex + entries.size()));
      }
      int length = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
      at += 2;
      if (at + length > bundle.length) {
        throw new LogCorruptedException(
            where + ": entry " + (firstIndex + entries.size()) + " is truncated");
      }
      byte[] entry = new byte[length];
      System.arraycopy(bundle, at, entry, 0, length);
      entries.add(entry);
      at += length;
    }
    if (entries.size() != count) {
      throw new LogCorruptedException(
          where + " holds " + entries.size() + " entries, expected " + count);
    }
    return entries;
  }
}
