package io.airgap.deps;

import io.airgap.core.AtomicFiles;
import io.airgap.core.InputException;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@link Bundles#create}: fetch the files again if asked, write the tar under a temporary name,
 * then either rename it into place or split it into parts. One {@link ExitCleanup} covers every
 * step, so a failure or a stop removes the scratch directory, the temporary whole and any part
 * written, and never races the final rename or descriptor. Stateless.
 */
final class BundleCreation {
  private static final String BLOBS = "blobs/sha256/";

  private BundleCreation() {}

  /** See {@link Bundles#create}. */
  static Path create(Lockfile lock, SigningKey key, Path out, BundleOptions options) {
    if (lock.artifacts().isEmpty()) {
      throw new InputException("the lock lists no artifacts; there is nothing to bundle");
    }
    boolean split = options.partSize() > 0;
    if (split) {
      BundleParts.refuseEarlierParts(out); // before hours of bundling, not after
    }
    Path directory = options.workDirectory().orElse(out.toAbsolutePath().getParent());
    // A name of its own, so two creates of one bundle never write into each other's file.
    Path whole =
        directory.resolve(
            "."
                + out.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".partial");
    Instant created = options.created().orElseGet(Instant::now);
    try (ExitCleanup cleanup = ExitCleanup.of()) {
      Path files = options.files().orElse(null);
      Path scratch = null;
      if (files == null) {
        scratch = cleanup.unlessStopped(() -> scratchDirectory(directory, out, cleanup));
        Locker.fetch(lock, options.repositories(), scratch);
        files = scratch;
      }
      cleanup.add(whole);
      write(lock, files, key, whole, out, created, options.progress());
      if (scratch != null) {
        DepsFiles.deleteTreeQuietly(scratch); // read completely: no longer needed
      }
      if (split) {
        // Each part is forced as it is written; the whole is a temporary file then.
        return BundleParts.split(whole, options.partSize(), out, cleanup);
      }
      // What the copying workers wrote reaches the device: a bundle carried off on a medium is
      // whole. Outside the commit, so a stop need not wait for it.
      try (FileChannel channel = FileChannel.open(whole, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      cleanup.commit(
          () -> {
            Files.move(
                whole, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(out.toAbsolutePath().getParent());
          });
      return out;
    } catch (IOException e) {
      throw new InputException("cannot write bundle " + out + ": " + e.getMessage(), e);
    }
  }

  private static Path scratchDirectory(Path directory, Path out, ExitCleanup cleanup) {
    try {
      Path scratch = Files.createTempDirectory(directory, ".airgap-fetch-");
      cleanup.add(scratch);
      return scratch;
    } catch (IOException e) {
      throw new InputException(
          "cannot create a scratch directory beside " + out + ": " + e.getMessage(), e);
    }
  }

  /** Writes the tar of every artifact of {@code lock} to {@code whole}, checking every file. */
  private static void write(
      Lockfile lock,
      Path files,
      SigningKey key,
      Path whole,
      Path out,
      Instant created,
      Progress progress)
      throws IOException {
    Map<String, byte[]> manifests = new LinkedHashMap<>();
    Map<String, String> digests = new LinkedHashMap<>();
    for (LockedArtifact artifact : lock.artifacts()) {
      byte[] manifest = OciArtifacts.manifest(artifact);
      String hex = DepsFiles.sha256(manifest);
      manifests.put(hex, manifest);
      digests.put(artifact.name(), hex);
    }
    List<BundleTarWriter.Blob> blobs = blobs(lock, files, manifests.keySet());
    progress.start(
        "bundle " + out.getFileName(),
        blobs.stream().mapToLong(blob -> blob.locked().size()).sum());
    try {
      BundleTarWriter.write(whole, documents(manifests, digests, created, key), blobs, progress);
    } finally {
      progress.finish();
    }
  }

  /** The small members, in the order a reader expects them. */
  private static List<BundleTarWriter.Document> documents(
      Map<String, byte[]> manifests, Map<String, String> digests, Instant created, SigningKey key) {
    Map<String, OciArtifacts.Descriptor> index = new LinkedHashMap<>();
    digests.forEach(
        (name, hex) ->
            index.put(
                name, new OciArtifacts.Descriptor("sha256:" + hex, manifests.get(hex).length)));
    List<BundleTarWriter.Document> documents = new ArrayList<>();
    documents.add(
        new BundleTarWriter.Document(
            "oci-layout", OciArtifacts.LAYOUT.getBytes(StandardCharsets.UTF_8)));
    documents.add(new BundleTarWriter.Document("index.json", OciArtifacts.index(index)));
    documents.add(
        new BundleTarWriter.Document(
            Bundles.SIGNATURE, BundleStatement.sign(digests, created, key)));
    manifests.forEach(
        (hex, manifest) -> documents.add(new BundleTarWriter.Document(BLOBS + hex, manifest)));
    // The manifests' empty config: its data is inline, but OCI tools read the blob.
    documents.add(
        new BundleTarWriter.Document(BLOBS + OciArtifacts.EMPTY_HEX, OciArtifacts.EMPTY_BLOB));
    return documents;
  }

  /** Each distinct file once, read from {@code files/NAME/PATH}. */
  private static List<BundleTarWriter.Blob> blobs(
      Lockfile lock, Path files, Set<String> manifestDigests) {
    List<BundleTarWriter.Blob> blobs = new ArrayList<>();
    Set<String> written = new HashSet<>();
    // A file holding "{}" is the empty config blob, and a file holding an artifact manifest's bytes
    // (a copy of a store, say) is that manifest's blob: both are written as documents.
    written.add(OciArtifacts.EMPTY_HEX);
    written.addAll(manifestDigests);
    for (LockedArtifact artifact : lock.artifacts()) {
      for (LockedFile locked : artifact.files()) {
        if (written.add(locked.sha256())) {
          blobs.add(
              new BundleTarWriter.Blob(
                  BLOBS + locked.sha256(),
                  files.resolve(artifact.name()).resolve(locked.path()),
                  locked));
        }
      }
    }
    return blobs;
  }
}
