package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads one bundle, member by member, in the order {@link Bundles#create} writes them (layout,
 * index, signature, manifests, then the blobs), so every member's expected size and digest is known
 * before its bytes are read, and checks that nothing else is there. One per read.
 */
final class BundleReader {
  private static final String BLOBS = "blobs/sha256/";

  /**
   * What a verified bundle holds.
   *
   * @param bundle its creation time and artifacts
   * @param manifests each artifact's manifest descriptor, by name, as the signature names them
   * @param envelope the signed envelope's bytes, kept in the store as evidence
   */
  record Verified(
      VerifiedBundle bundle, Map<String, OciArtifacts.Descriptor> manifests, byte[] envelope) {}

  static Verified read(
      Path bundle, PublicKey key, Path staging, Progress progress, SignedHeadCheck check) {
    try {
      return readOnce(bundle, key, staging, progress, check);
    } catch (io.airgap.core.trust.RollbackException e) {
      throw e; // the statement verified, so no damaged part caused it: said before any is read
    } catch (io.airgap.core.AirgapException e) {
      if (BundleParts.isSplit(bundle)) {
        // The tar, the signature or a document may break on a bad part before that part's own
        // digest is checked: name the part, not a wrong key or a malformed document.
        try {
          BundleParts.verify(bundle);
        } catch (IntegrityException precise) {
          precise.addSuppressed(e);
          throw precise;
        } catch (io.airgap.core.AirgapException other) {
          e.addSuppressed(other); // the parts cannot be checked: the first failure stands
        }
      }
      throw e;
    }
  }

  private static Verified readOnce(
      Path bundle, PublicKey key, Path staging, Progress progress, SignedHeadCheck check) {
    try (BufferedInputStream raw = new BufferedInputStream(rawStream(bundle), 1 << 20);
        TarGuard guard = new TarGuard(raw, bundle.toString());
        TarArchiveInputStream tar = new TarArchiveInputStream(guard)) {
      BundleReader reader = new BundleReader(bundle, key, staging);
      reader.progress = progress;
      reader.check = check;
      reader.readHead(tar);
      progress.start(
          "bundle " + bundle.getFileName(),
          reader.expectedBlobs.values().stream().mapToLong(LockedFile::size).sum());
      try (PipelinedDigest hasher = new PipelinedDigest(8, 1 << 20)) {
        reader.hasher = hasher;
        reader.readBlobs(tar);
      } finally {
        progress.finish();
      }
      // Read what the tar reader leaves (the end-of-archive blocks), so a split bundle's last
      // part and whole digest are checked too, and nothing but zeros follows the archive.
      guard.transferTo(OutputStream.nullOutputStream());
      return new Verified(
          new VerifiedBundle(reader.created, reader.artifacts), reader.manifests, reader.envelope);
    } catch (IOException e) {
      throw new InputException("cannot read bundle " + bundle + ": " + e.getMessage(), e);
    }
  }

  /** The bundle's bytes, whole or reassembled from its parts ({@code NAME.part000} names them). */
  private static InputStream rawStream(Path bundle) throws IOException {
    return BundleParts.isSplit(bundle) ? BundleParts.open(bundle) : Files.newInputStream(bundle);
  }

  private static TarArchiveInputStream open(Path bundle) throws IOException {
    return new TarArchiveInputStream(
        new TarGuard(new BufferedInputStream(rawStream(bundle), 1 << 20), bundle.toString()));
  }

  /**
   * What a verify or import checks once a bundle's statement verified, before its blobs are read.
   */
  @FunctionalInterface
  interface SignedHeadCheck {
    void check(Instant created, Map<String, OciArtifacts.Descriptor> manifests);
  }

  /** The head of a bundle (layout, index, manifests) without checking the signature. */
  static List<LockedArtifact> inspect(Path bundle) {
    try (TarArchiveInputStream tar = open(bundle)) {
      return new BundleReader(bundle, null, null).readHead(tar);
    } catch (IOException e) {
      throw new InputException("cannot read bundle " + bundle + ": " + e.getMessage(), e);
    }
  }

  private final Path bundle;
  private final PublicKey key;
  private final Path staging;
  private final Set<String> seen = new HashSet<>();
  private final Map<String, LockedFile> expectedBlobs = new LinkedHashMap<>();
  private List<LockedArtifact> artifacts = new ArrayList<>();
  private Map<String, OciArtifacts.Descriptor> manifests = Map.of();
  private Instant created;
  private byte[] envelope;
  private SignedHeadCheck check = (when, manifests) -> {};
  private Progress progress = Progress.NONE;
  private PipelinedDigest hasher;

  private BundleReader(Path bundle, PublicKey key, Path staging) {
    this.bundle = bundle;
    this.key = key;
    this.staging = staging;
  }

  /** Layout, index, signature and manifests: the artifacts and every blob expected. */
  List<LockedArtifact> readHead(TarArchiveInputStream tar) throws IOException {
    OciArtifacts.checkLayout(document(tar, "oci-layout"), bundle + " oci-layout");
    byte[] indexBytes = document(tar, "index.json");
    Map<String, OciArtifacts.Descriptor> index =
        OciArtifacts.parseIndex(indexBytes, bundle + " index.json");
    OciArtifacts.checkExactIndex(indexBytes, index, bundle + " index.json");
    manifests = index;
    byte[] signature = document(tar, Bundles.SIGNATURE);
    if (index.values().stream().anyMatch(d -> d.provenance() != null)) {
      throw new IntegrityException(
          bundle
              + " index.json: carries "
              + OciArtifacts.BUNDLE_CREATED
              + " and "
              + OciArtifacts.BUNDLE_SIGNATURE
              + ", which only a store's index records (the bundle's time is signed)");
    }
    if (key != null) { // null only for inspect, which says it does not verify
      BundleStatement.Signed statement =
          BundleStatement.verify(signature, key, bundle + " " + Bundles.SIGNATURE);
      created = statement.created();
      envelope = signature;
      if (staging != null) {
        writeForced(staging.resolve(DepsFiles.sha256(signature)), signature);
      }
      Map<String, String> signed = statement.manifests();
      Map<String, String> indexed = new LinkedHashMap<>();
      index.forEach((name, d) -> indexed.put(name, d.hex()));
      if (!signed.equals(indexed)) {
        throw new IntegrityException(
            bundle + ": the signed statement names " + signed + ", the index " + indexed);
      }
      check.check(created, index);
    }
    for (Map.Entry<String, OciArtifacts.Descriptor> entry : index.entrySet()) {
      OciArtifacts.Descriptor descriptor = entry.getValue();
      byte[] manifest = document(tar, BLOBS + descriptor.hex());
      if (!DepsFiles.sha256(manifest).equals(descriptor.hex())
          || manifest.length != descriptor.size()) {
        throw new IntegrityException(
            bundle
                + ": the manifest of "
                + entry.getKey()
                + " is not its digest "
                + descriptor.hex());
      }
      if (staging != null) {
        writeForced(staging.resolve(descriptor.hex()), manifest);
      }
      LockedArtifact artifact =
          OciArtifacts.parse(manifest, bundle + " manifest of " + entry.getKey());
      if (!artifact.name().equals(entry.getKey())) {
        throw new IntegrityException(
            bundle
                + ": manifest "
                + descriptor.hex()
                + " names "
                + artifact.name()
                + ", the index "
                + entry.getKey());
      }
      artifacts.add(artifact);
      expectedBlobs.putIfAbsent(
          OciArtifacts.EMPTY_HEX,
          new LockedFile("empty config", OciArtifacts.EMPTY_BLOB.length, OciArtifacts.EMPTY_HEX));
      for (LockedFile file : artifact.files()) {
        LockedFile previous = expectedBlobs.putIfAbsent(file.sha256(), file);
        if (previous != null && previous.size() != file.size()) {
          throw new IntegrityException(
              bundle + ": blob " + file.sha256() + " is listed with two sizes");
        }
      }
    }
    return artifacts;
  }

  /** Every file blob: expected, of the expected size, hashing to its name; then none missing. */
  void readBlobs(TarArchiveInputStream tar) throws IOException {
    // The order create writes them in: the empty config, then each artifact's files, each blob
    // once (a file equal to a manifest or to the empty config travels as that member).
    List<String> order =
        expectedBlobs.keySet().stream().filter(hex -> !seen.contains(BLOBS + hex)).toList();
    int next = 0;
    TarArchiveEntry entry;
    while ((entry = next(tar)) != null) {
      String name = entry.getName();
      String hex = name.startsWith(BLOBS) ? name.substring(BLOBS.length()) : "";
      LockedFile expected = expectedBlobs.get(hex);
      if (expected == null) {
        throw new IntegrityException(bundle + ": unexpected member " + printable(name));
      }
      if (next >= order.size() || !order.get(next).equals(hex)) {
        // The order is fixed, so it cannot carry anything either.
        throw new IntegrityException(
            bundle
                + ": member "
                + name
                + " is out of the order bundles are written in"
                + (next < order.size() ? " (expected " + BLOBS + order.get(next) + ")" : ""));
      }
      next++;
      if (entry.getSize() != expected.size()) {
        throw new IntegrityException(
            bundle
                + ": member "
                + name
                + " claims "
                + entry.getSize()
                + " bytes, its manifest says "
                + expected.size());
      }
      copyBlob(tar, hex, expected);
    }
    List<String> missing = new ArrayList<>();
    for (String hex : order.subList(next, order.size())) {
      missing.add(expectedBlobs.get(hex).path() + " (" + hex + ")");
    }
    if (!missing.isEmpty()) {
      throw new IntegrityException(bundle + ": missing blobs (a truncated transfer?): " + missing);
    }
  }

  private void copyBlob(TarArchiveInputStream tar, String hex, LockedFile expected)
      throws IOException {
    long total = 0;
    FileChannel channel = staging == null ? null : stagedFile(hex);
    OutputStream out = channel == null ? null : Channels.newOutputStream(channel);
    try {
      while (true) {
        byte[] buffer = hasher.buffer();
        int read = readTar(tar, buffer, buffer.length);
        if (read <= 0) {
          hasher.recycle(buffer);
          break;
        }
        total += read;
        if (total > expected.size()) {
          hasher.recycle(buffer);
          throw blobProblem(
              hex, expected, "holds more than the " + expected.size() + " bytes its manifest says");
        }
        if (out != null) {
          writeStaged(out, buffer, read); // written here while the other thread hashes
        }
        progress.advance(read);
        hasher.update(buffer, read);
      }
      if (channel != null) {
        forceStaged(channel); // here, not later under the store's writer lock
      }
    } finally {
      if (out != null) {
        out.close();
      }
    }
    String actual = hasher.finish();
    if (total != expected.size() || !actual.equals(hex)) {
      throw blobProblem(
          hex,
          expected,
          "holds "
              + total
              + " bytes hashing to "
              + actual
              + " (a corrupted or truncated transfer?)");
    }
  }

  private FileChannel stagedFile(String hex) throws IOException {
    return FileChannel.open(
        staging.resolve(hex),
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  private void forceStaged(FileChannel channel) {
    try {
      channel.force(true);
    } catch (IOException e) {
      throw stagingFailed(e);
    }
  }

  private void writeForced(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(bytes));
      channel.force(true);
    }
  }

  private IntegrityException blobProblem(String hex, LockedFile expected, String problem) {
    return new IntegrityException(
        bundle + ": blob " + hex + " (" + expected.path() + ") " + problem);
  }

  private void writeStaged(OutputStream out, byte[] buffer, int length) {
    try {
      out.write(buffer, 0, length);
    } catch (IOException e) {
      throw stagingFailed(e);
    }
  }

  private InputException stagingFailed(IOException e) {
    return new InputException(
        "cannot write the staging directory "
            + staging
            + " ("
            + e.getMessage()
            + "); nothing was imported, the store is unchanged",
        e);
  }

  /** Reads from the tar; a damaged or cut archive is an integrity failure, not an I/O one. */
  private int readTar(TarArchiveInputStream tar, byte[] buffer, int length) {
    return readTar(tar, buffer, length, 0);
  }

  private int readTar(TarArchiveInputStream tar, byte[] buffer, int length, int offset) {
    try {
      return tar.read(buffer, offset, length);
    } catch (IOException e) {
      throw new IntegrityException(
          bundle + ": the tar is damaged or truncated (" + e.getMessage() + "); carry it again");
    }
  }

  /** The next small member, which must be {@code name}. */
  private byte[] document(TarArchiveInputStream tar, String name) throws IOException {
    TarArchiveEntry entry = next(tar);
    if (entry == null) {
      throw new IntegrityException(bundle + ": ends before " + name + " (a truncated transfer?)");
    }
    if (!entry.getName().equals(name)) {
      throw new IntegrityException(
          bundle + ": expected member " + name + ", found " + printable(entry.getName()));
    }
    if (entry.getSize() > Bundles.MAX_DOCUMENT) {
      throw new IntegrityException(
          bundle + ": member " + name + " is larger than " + Bundles.MAX_DOCUMENT + " bytes");
    }
    byte[] bytes = new byte[(int) entry.getSize()];
    int filled = 0;
    int read;
    while (filled < bytes.length
        && (read = readTar(tar, bytes, bytes.length - filled, filled)) > 0) {
      filled += read;
    }
    if (filled != entry.getSize()) {
      throw new IntegrityException(bundle + ": member " + name + " is truncated");
    }
    return bytes;
  }

  private TarArchiveEntry nextHeader(TarArchiveInputStream tar) {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw new IntegrityException(
          bundle + ": the tar is damaged or truncated (" + e.getMessage() + ")");
    }
  }

  /** The next member after checking its type and name; null at the end. */
  private TarArchiveEntry next(TarArchiveInputStream tar) {
    TarArchiveEntry entry = nextHeader(tar);
    if (entry == null) {
      return null;
    }
    String name = entry.getName();
    if (entry.isSparse() || entry.getRealSize() != entry.getSize()) {
      // A sparse member expands to its "real" size, which no size check above it bounds.
      throw new IntegrityException(
          bundle
              + ": member "
              + printable(name)
              + " is a sparse file of "
              + entry.getRealSize()
              + " bytes stored in "
              + entry.getSize()
              + " (refused)");
    }
    if (!entry.isFile()
        || entry.isSymbolicLink()
        || entry.isLink()
        || entry.isCharacterDevice()
        || entry.isBlockDevice()
        || entry.isFIFO()) {
      throw new IntegrityException(
          bundle
              + ": member "
              + printable(name)
              + " is not a regular file (links and devices are refused)");
    }
    if (name.startsWith("/") || name.contains("..") || name.contains("\\") || name.contains("\0")) {
      throw new IntegrityException(
          bundle + ": member name " + printable(name) + " is absolute or escapes the bundle");
    }
    if (!seen.add(name)) {
      throw new IntegrityException(bundle + ": member " + printable(name) + " appears twice");
    }
    return entry;
  }

  private static String printable(String name) {
    return io.airgap.core.internal.ResourceNames.printable(name);
  }
}
