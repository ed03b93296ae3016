package io.airgap.deps;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Checks a bundle's tar structure as the bytes pass, before the tar reader sees them: every header
 * is a POSIX ustar header with a valid checksum and one of the plain member types, a regular
 * member's header is byte for byte what {@link BundleTarWriter} writes for its name and size, the
 * padding after each member is zero, and nothing but zeros follows the end-of-archive block.
 * Bundles are written by {@link BundleTarWriter} in exactly that form, so anything else is refused
 * rather than interpreted: GNU long names and PAX records (read whole into memory by tar readers,
 * before any size the manifests give could bound them), sparse members (which expand beyond their
 * stored size), and bytes hidden in padding or after the archive (which a verified bundle would
 * otherwise carry across the gap unsigned).
 *
 * <p>Not thread-safe; one per read of a bundle.
 */
final class TarGuard extends FilterInputStream {
  private static final int BLOCK = 512;
  private static final int END_BLOCK = 20 * BLOCK;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;
  private static final int CHECKSUM_OFFSET = 148;
  private static final int TYPE_OFFSET = 156;
  private static final int MAGIC_OFFSET = 257;
  private static final byte[] USTAR = "ustar\00000".getBytes(StandardCharsets.US_ASCII);

  /**
   * Regular file (old and new flag), hard link, symbolic link, devices, directory, FIFO,
   * contiguous.
   */
  private static final String PLAIN_TYPES = "\0" + "01234567";

  private enum State {
    HEADER,
    DATA,
    PADDING,
    END
  }

  private final String bundle;
  private final byte[] header = new byte[BLOCK];
  private State state = State.HEADER;
  private int headerServed = BLOCK;
  private long remaining;
  private long position;
  private long endOfArchive;

  TarGuard(InputStream in, String bundle) {
    super(in);
    this.bundle = bundle;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (true) {
      switch (state) {
        case HEADER -> {
          if (headerServed == BLOCK && !readHeader()) {
            throw new IntegrityException(
                bundle
                    + ": the tar ends at byte "
                    + position
                    + " without its end-of-archive blocks (a truncated transfer?)");
          }
          int n = Math.min(length, BLOCK - headerServed);
          System.arraycopy(header, headerServed, buffer, offset, n);
          headerServed += n;
          if (headerServed == BLOCK) {
            afterHeader();
          }
          return n;
        }
        case DATA -> {
          if (remaining == 0) {
            state = State.PADDING;
            remaining = padding(position);
            continue;
          }
          int n = in.read(buffer, offset, (int) Math.min(length, remaining));
          if (n < 0) {
            return -1; // the tar reader reports the member as truncated
          }
          remaining -= n;
          position += n;
          return n;
        }
        case PADDING -> {
          if (remaining == 0) {
            state = State.HEADER;
            continue;
          }
          return readZeros(buffer, offset, (int) Math.min(length, remaining), "member padding");
        }
        case END -> {
          return readEnd(buffer, offset, length);
        }
        default -> throw new IllegalStateException(state.toString());
      }
    }
  }

  /** Reads the next header block whole; false at the end of the stream on a block boundary. */
  private boolean readHeader() throws IOException {
    int filled = 0;
    while (filled < BLOCK) {
      int n = in.read(header, filled, BLOCK - filled);
      if (n < 0) {
        if (filled == 0) {
          return false;
        }
        throw new IntegrityException(
            bundle + ": the tar ends inside a header at byte " + (position + filled));
      }
      filled += n;
    }
    headerServed = 0;
    return true;
  }

  /** Checks the header just served and sets up what follows it. */
  private void afterHeader() {
    long at = position;
    position += BLOCK;
    if (allZero(header)) {
      state = State.END;
      // Two zero records, then zeros to a whole block of 20 records, as create writes: a fixed
      // length, so neither the trailer's length nor anything after it can carry data.
      endOfArchive = (at + 2 * BLOCK + END_BLOCK - 1) / END_BLOCK * END_BLOCK;
      return;
    }
    String name = name();
    if (!matches(header, MAGIC_OFFSET, USTAR)) {
      throw refused(at, name, "is not a POSIX ustar header");
    }
    if (checksum() != storedChecksum(at, name)) {
      throw refused(at, name, "has a wrong header checksum");
    }
    char type = (char) header[TYPE_OFFSET];
    if (PLAIN_TYPES.indexOf(type) < 0) {
      throw refused(
          at,
          name,
          "has tar type '"
              + (type >= 0x20 && type < 0x7f
                  ? String.valueOf(type)
                  : "\\x" + Integer.toHexString(type))
              + "' (long names, PAX records and sparse members are refused)");
    }
    long size = size(at, name);
    if ((type == '5' || name.endsWith("/")) && size != 0) {
      // A tar reader reads no data for a directory, so whatever its size covers would be read as
      // the next header, past every check here.
      throw refused(at, name, "is a directory with a size of " + size + " bytes");
    }
    if ("123456".indexOf(type) < 0) {
      // Links, devices, FIFOs and directories are refused by type above the tar reader, with a
      // clearer message; every other member must be what BundleTarWriter writes for it, byte for
      // byte, so no header field (times, owners, modes, unused bytes) carries unsigned data.
      requireCanonical(at, name, size);
    }
    state = State.DATA;
    remaining = size;
  }

  /** Header fields by their first byte (POSIX ustar), to name the one that differs. */
  private static final int[] FIELD_STARTS = {
    0, 100, 108, 116, 124, 136, 148, 156, 157, 257, 263, 265, 297, 329, 337, 345, 500
  };

  private static final String[] FIELD_NAMES = {
    "name",
    "mode",
    "uid",
    "gid",
    "size",
    "mtime",
    "checksum",
    "type",
    "link name",
    "magic",
    "version",
    "user name",
    "group name",
    "device major",
    "device minor",
    "name prefix",
    "unused bytes"
  };

  private void requireCanonical(long at, String name, long size) {
    byte[] expected = BundleTarWriter.header(name, size).array();
    for (int i = 0; i < BLOCK; i++) {
      if (header[i] != expected[i]) {
        int field = FIELD_STARTS.length - 1;
        while (FIELD_STARTS[field] > i) {
          field--;
        }
        throw refused(
            at,
            name,
            "differs from the header airgap writes in its "
                + FIELD_NAMES[field]
                + " (byte "
                + i
                + "; headers carry nothing but name and size)");
      }
    }
  }

  private IntegrityException refused(long at, String name, String problem) {
    return new IntegrityException(
        bundle
            + ": the tar header at byte "
            + at
            + " ("
            + io.airgap.core.internal.ResourceNames.printable(name)
            + ") "
            + problem);
  }

  /** The end-of-archive blocks: zeros up to {@link #endOfArchive}, then the end of the stream. */
  private int readEnd(byte[] buffer, int offset, int length) throws IOException {
    if (position < endOfArchive) {
      int n =
          readZeros(
              buffer,
              offset,
              (int) Math.min(length, endOfArchive - position),
              "the end of the archive");
      if (n < 0) {
        throw new IntegrityException(
            bundle
                + ": the tar ends at byte "
                + position
                + ", inside its end-of-archive blocks (a truncated transfer?)");
      }
      return n;
    }
    if (in.read(buffer, offset, 1) < 0) {
      return -1;
    }
    throw new IntegrityException(
        bundle
            + ": byte "
            + position
            + " lies after the end of the archive (data outside every member is refused)");
  }

  private int readZeros(byte[] buffer, int offset, int length, String where) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n < 0) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      if (buffer[offset + i] != 0) {
        throw new IntegrityException(
            bundle
                + ": byte "
                + (position + i)
                + " in "
                + where
                + " is not zero (data outside every member is refused)");
      }
    }
    position += n;
    remaining = Math.max(0, remaining - n);
    return n;
  }

  private static long padding(long position) {
    return (BLOCK - position % BLOCK) % BLOCK;
  }

  /** The name field and, when present, the ustar prefix before it. */
  private String name() {
    String name = field(0, 100);
    String prefix = field(345, 155);
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private String field(int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** The size field: octal digits, or base-256 when its first byte has the high bit set. */
  private long size(long at, String name) {
    if ((header[SIZE_OFFSET] & 0x80) != 0) {
      if ((header[SIZE_OFFSET] & 0x40) != 0) {
        throw refused(at, name, "has a negative size");
      }
      long size = header[SIZE_OFFSET] & 0x3f;
      for (int i = 1; i < SIZE_LENGTH; i++) {
        if (size > (Long.MAX_VALUE >>> 8)) {
          throw refused(at, name, "has a size beyond 2^63 bytes");
        }
        size = (size << 8) | (header[SIZE_OFFSET + i] & 0xff);
      }
      return size;
    }
    return octal(at, name, SIZE_OFFSET, SIZE_LENGTH, "size");
  }

  private long storedChecksum(long at, String name) {
    return octal(at, name, CHECKSUM_OFFSET, 8, "checksum");
  }

  /** An octal field: optional leading spaces, digits, then NUL or space to its end. */
  private long octal(long at, String name, int offset, int length, String field) {
    int i = offset;
    int end = offset + length;
    while (i < end && header[i] == ' ') {
      i++;
    }
    long value = 0;
    int digits = 0;
    while (i < end && header[i] >= '0' && header[i] <= '7') {
      value = value * 8 + (header[i] - '0');
      digits++;
      i++;
    }
    for (; i < end; i++) {
      if (header[i] != 0 && header[i] != ' ') {
        throw refused(at, name, "has a malformed " + field + " field");
      }
    }
    if (digits == 0) {
      throw refused(at, name, "has an empty " + field + " field");
    }
    return value;
  }

  /** The header's checksum: its bytes summed unsigned, the checksum field counted as spaces. */
  private long checksum() {
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + 8 ? ' ' : header[i] & 0xff;
    }
    return sum;
  }

  private static boolean matches(byte[] bytes, int offset, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (bytes[offset + i] != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean allZero(byte[] bytes) {
    for (byte b : bytes) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** Skips by reading, so skipped bytes are checked like read ones. */
  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(Math.max(n, 1), 1 << 16)];
    long skipped = 0;
    while (skipped < n) {
      int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public int available() throws IOException {
    return state == State.DATA ? (int) Math.min(in.available(), remaining) : 0;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
