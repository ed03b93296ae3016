package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A bundle split into parts of a given size for media that cannot hold it whole: {@code
 * NAME.part001}, {@code NAME.part002}... hold the bytes, and the first part, {@code NAME.part000},
 * records the total size and SHA-256, the part size and count, and each part's SHA-256. Reading the
 * parts back checks each part as it ends and the whole at the end, so a missing, reordered,
 * truncated or corrupted part is named. Stateless.
 */
public final class BundleParts {
  /** The first part's suffix. */
  public static final String FIRST = ".part000";

  private static final Set<String> FIELDS =
      Set.of("schemaVersion", "bundle", "size", "sha256", "partSize", "parts");

  private BundleParts() {}

  /** Whether {@code path} names the first part of a split bundle. */
  public static boolean isSplit(Path path) {
    return path.getFileName().toString().endsWith(FIRST);
  }

  /**
   * Splits a bundle file into parts of {@code partSize} bytes beside it and deletes the whole.
   *
   * @return the first part (the descriptor)
   */
  public static Path split(Path bundle, long partSize) {
    return split(bundle, partSize, bundle);
  }

  /**
   * Splits a bundle file into parts named after {@code out} ({@code OUT.part000} the descriptor,
   * {@code OUT.part001}... the bytes, in {@code out}'s directory) and deletes the whole. The whole
   * may lie elsewhere (a work disk), so the medium needs room for the parts only. Parts of an
   * earlier split are never overwritten; a failed split removes the parts it wrote.
   *
   * @return the first part (the descriptor)
   * @throws InputException when parts named after {@code out} already exist, or on a write error
   */
  public static Path split(Path bundle, long partSize, Path out) {
    if (partSize < 1) {
      throw new IllegalArgumentException("part size must be positive, not " + partSize);
    }
    refuseEarlierParts(out);
    try (ExitCleanup cleanup = ExitCleanup.of()) {
      return split(bundle, partSize, out, cleanup);
    }
  }

  /**
   * Refuses when parts named after {@code out} already exist, so a split never mixes with or
   * overwrites an earlier one.
   *
   * @throws InputException naming the parts found
   */
  public static void refuseEarlierParts(Path out) {
    String base = out.getFileName().toString();
    Path directory = out.toAbsolutePath().getParent();
    try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
      List<String> earlier =
          entries
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches(java.util.regex.Pattern.quote(base) + "\\.part\\d{3,}"))
              .sorted()
              .toList();
      if (!earlier.isEmpty()) {
        throw new InputException(
            directory
                + " already holds parts of a bundle "
                + base
                + " "
                + earlier
                + "; remove them or choose another name");
      }
    } catch (IOException e) {
      throw new InputException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Splits as {@link #split(Path, long, Path)} (the caller refused earlier parts already), each
   * part created through {@code cleanup}, and, as its final step, writes the descriptor and deletes
   * {@code bundle}. A failed split undoes everything {@code cleanup} holds.
   */
  static Path split(Path bundle, long partSize, Path out, ExitCleanup cleanup) {
    String base = out.getFileName().toString();
    MessageDigest total = DepsFiles.digest("SHA-256");
    List<String> partDigests = new ArrayList<>();
    long size;
    try (InputStream in = Files.newInputStream(bundle)) {
      size = Files.size(bundle);
      byte[] buffer = new byte[1 << 20];
      int index = 1;
      long remaining = size;
      while (remaining > 0 || index == 1) {
        Path part = out.resolveSibling(base + String.format(Locale.ROOT, ".part%03d", index++));
        MessageDigest digest = DepsFiles.digest("SHA-256");
        long inPart = 0;
        try (FileChannel channel = cleanup.create(part);
            OutputStream stream = Channels.newOutputStream(channel)) {
          while (inPart < partSize && remaining > 0) {
            int read =
                in.read(
                    buffer,
                    0,
                    (int) Math.min(buffer.length, Math.min(partSize - inPart, remaining)));
            if (read < 0) {
              throw new InputException(bundle + " ended early while it was split");
            }
            stream.write(buffer, 0, read);
            digest.update(buffer, 0, read);
            total.update(buffer, 0, read);
            inPart += read;
            remaining -= read;
          }
          channel.force(true); // on the medium before the descriptor that names it is written
        }
        partDigests.add(HexFormat.of().formatHex(digest.digest()));
        if (remaining == 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot split " + bundle + ": " + e.getMessage(), e);
    }
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", 1).put("bundle", base).put("size", size);
    root.put("sha256", HexFormat.of().formatHex(total.digest())).put("partSize", partSize);
    ArrayNode parts = root.putArray("parts");
    partDigests.forEach(parts::add);
    Path first = out.resolveSibling(base + FIRST);
    cleanup.add(first);
    try {
      cleanup.commit(
          () -> {
            AtomicFiles.write(first, StrictJson.writePretty(root));
            deleteSplit(bundle);
          });
    } catch (IOException e) {
      throw new InputException("cannot write " + first + ": " + e.getMessage(), e);
    }
    return first;
  }

  /** Deletes the whole once its parts are final. */
  private static void deleteSplit(Path bundle) {
    try {
      Files.delete(bundle);
    } catch (IOException e) {
      throw new InputException(
          "cannot remove " + bundle + " after splitting it: " + e.getMessage(), e);
    }
  }

  /**
   * The bundle's bytes, read across its parts, each checked as it ends and the whole at the end.
   *
   * @throws IntegrityException naming a missing, short, long or corrupted part
   * @throws FormatException when the first part is malformed
   */
  public static InputStream open(Path first) {
    JsonNode root;
    try {
      root = StrictJson.readSmallObject(DepsFiles.readDocument(first, true), first.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + first + ": " + e.getMessage(), e);
    }
    String where = first.toString();
    StrictJson.requireOnly(root, FIELDS, where);
    if (StrictJson.integer(root, "schemaVersion", where) != 1) {
      throw new FormatException(where + ": unknown split bundle schemaVersion");
    }
    long size = StrictJson.integer(root, "size", where);
    long partSize = StrictJson.positiveInteger(root, "partSize", where);
    String sha256 = StrictJson.text(root, "sha256", where);
    List<String> digests = new ArrayList<>();
    for (JsonNode node : StrictJson.array(root, "parts", where)) {
      digests.add(node.asText());
    }
    long expectedParts = Math.max(1, (size + partSize - 1) / partSize);
    if (digests.size() != expectedParts || size < 0) {
      throw new FormatException(
          where + ": " + digests.size() + " parts for " + size + " bytes of " + partSize);
    }
    String base = first.getFileName().toString();
    base = base.substring(0, base.length() - FIRST.length());
    List<Path> parts = new ArrayList<>();
    for (int i = 1; i <= digests.size(); i++) {
      Path part = first.resolveSibling(base + String.format(Locale.ROOT, ".part%03d", i));
      long expected = i < digests.size() ? partSize : size - partSize * (digests.size() - 1);
      try {
        if (!Files.exists(part)) {
          throw new IntegrityException(
              "part " + i + " of " + digests.size() + " (" + part.getFileName() + ") is missing");
        }
        if (Files.size(part) != expected) {
          throw new IntegrityException(
              "part "
                  + i
                  + " of "
                  + digests.size()
                  + " ("
                  + part.getFileName()
                  + ") holds "
                  + Files.size(part)
                  + " bytes, not "
                  + expected
                  + " (truncated in transfer?)");
        }
      } catch (IOException e) {
        throw new InputException("cannot read " + part + ": " + e.getMessage(), e);
      }
      parts.add(part);
    }
    return new PartsStream(parts, digests, sha256);
  }

  /**
   * Reads every part to its end, checking each part's digest and the whole's.
   *
   * @throws IntegrityException naming the first part that is missing, of the wrong size, or not its
   *     recorded digest
   */
  public static void verify(Path first) {
    try (InputStream in = open(first)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      throw new InputException("cannot read the parts of " + first + ": " + e.getMessage(), e);
    }
  }

  /** The parts one after the other, each hashed, the whole hashed too. */
  private static final class PartsStream extends InputStream {
    private final List<Path> parts;
    private final List<String> digests;
    private final String total;
    private final MessageDigest whole = DepsFiles.digest("SHA-256");
    private MessageDigest current;
    private InputStream in;
    private int index = -1;

    PartsStream(List<Path> parts, List<String> digests, String total) {
      this.parts = parts;
      this.digests = digests;
      this.total = total;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int read = read(one, 0, 1);
      return read < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      while (true) {
        if (in == null && !advance()) {
          return -1;
        }
        int read = in.read(buffer, offset, length);
        if (read > 0) {
          current.update(buffer, offset, read);
          whole.update(buffer, offset, read);
          return read;
        }
        finishPart();
      }
    }

    private boolean advance() throws IOException {
      if (index >= parts.size()) {
        return false; // already at the end, and checked
      }
      index++;
      if (index >= parts.size()) {
        String actual = HexFormat.of().formatHex(whole.digest());
        if (!actual.equals(total)) {
          throw new IntegrityException(
              "the reassembled bundle hashes to " + actual + ", its first part says " + total);
        }
        return false;
      }
      in = Files.newInputStream(parts.get(index));
      current = DepsFiles.digest("SHA-256");
      return true;
    }

    private void finishPart() throws IOException {
      in.close();
      in = null;
      String actual = HexFormat.of().formatHex(current.digest());
      if (!actual.equals(digests.get(index))) {
        throw new IntegrityException(
            "part "
                + (index + 1)
                + " of "
                + parts.size()
                + " ("
                + parts.get(index).getFileName()
                + ") hashes to "
                + actual
                + ", not to the recorded "
                + digests.get(index)
                + " (corrupted, or parts swapped?)");
      }
    }

    @Override
    public void close() throws IOException {
      if (in != null) {
        in.close();
      }
    }
  }
}
