package io.airgap.deps;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bundles carried across the gap: a tar of an OCI image layout holding one artifact manifest per
 * artifact and one blob per file, with a DSSE-signed in-toto statement over the manifest digests
 * ({@value #SIGNATURE}). Members are written in a fixed order (layout, index, signature, manifests,
 * files) and read back in that order, so a reader knows every member's expected size and digest
 * before it reads its bytes: a member larger than its manifest says is refused at that size, never
 * read to the end. Stateless.
 */
public final class Bundles {
  /** The signature member at the root of the tar. */
  public static final String SIGNATURE = "airgap-bundle.dsse.json";

  /** The largest small member (layout, index, signature, manifest) read, in bytes. */
  static final long MAX_DOCUMENT = 16L << 20;

  private static final String BLOBS = "blobs/sha256/";

  private Bundles() {}

  /**
   * Writes a bundle of every artifact of {@code lock}, taking each file from {@code
   * files/NAME/PATH} (as {@link Locker} leaves them) and checking it against the lock while it is
   * written; the output is written under a temporary name beside it ({@code .OUT.*.partial}),
   * forced to the device and renamed when complete.
   *
   * @throws IntegrityException when a file is not what the lock says; nothing is written then
   */
  public static void create(Lockfile lock, Path files, SigningKey key, Path out) {
    create(lock, files, key, out, Progress.NONE);
  }

  /**
   * Fetches every artifact of {@code lock} again from {@code repositories} (see {@link
   * Locker#fetch}) into a scratch directory beside {@code out}, bundles it as {@link
   * #create(Lockfile, Path, SigningKey, Path, Progress)} and removes the scratch directory.
   *
   * @throws MissingArtifactsException listing every artifact no repository has
   * @throws IntegrityException when a repository now returns other files than the lock records;
   *     nothing is written then
   */
  public static void create(
      Lockfile lock, List<Repository> repositories, SigningKey key, Path out, Progress progress) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory(out.toAbsolutePath().getParent(), ".airgap-fetch-");
    } catch (IOException e) {
      throw new InputException(
          "cannot create a scratch directory beside " + out + ": " + e.getMessage(), e);
    }
    try (ExitCleanup cleanup = ExitCleanup.of(scratch)) {
      Locker.fetch(lock, repositories, scratch);
      create(lock, scratch, key, out, progress);
    } finally {
      DepsFiles.deleteTreeQuietly(scratch);
    }
  }

  /**
   * Writes a bundle as {@link #create(Lockfile, Path, SigningKey, Path)}, telling {@code progress}.
   */
  public static void create(
      Lockfile lock, Path files, SigningKey key, Path out, Progress progress) {
    create(lock, files, key, out, progress, Instant.now());
  }

  /**
   * Writes a bundle as {@link #create(Lockfile, Path, SigningKey, Path)}, recording {@code created}
   * (whole seconds) as its creation time in the signed statement. A store refuses an artifact from
   * a bundle created before the one that brought its current copy, so going back to an older
   * artifact means bundling it again, which only the signer can do.
   */
  public static void create(
      Lockfile lock, Path files, SigningKey key, Path out, Progress progress, Instant created) {
    if (lock.artifacts().isEmpty()) {
      throw new InputException("the lock lists no artifacts; there is nothing to bundle");
    }
    Map<String, byte[]> manifests = new LinkedHashMap<>();
    Map<String, String> digests = new LinkedHashMap<>();
    for (LockedArtifact artifact : lock.artifacts()) {
      byte[] manifest = OciArtifacts.manifest(artifact);
      String hex = DepsFiles.sha256(manifest);
      manifests.put(hex, manifest);
      digests.put(artifact.name(), hex);
    }
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
        new BundleTarWriter.Document(SIGNATURE, BundleStatement.sign(digests, created, key)));
    manifests.forEach(
        (hex, manifest) -> documents.add(new BundleTarWriter.Document(BLOBS + hex, manifest)));
    // The manifests' empty config: its data is inline, but OCI tools read the blob.
    documents.add(
        new BundleTarWriter.Document(BLOBS + OciArtifacts.EMPTY_HEX, OciArtifacts.EMPTY_BLOB));
    List<BundleTarWriter.Blob> blobs = new ArrayList<>();
    Set<String> written = new HashSet<>();
    // A file holding "{}" is the empty config blob, and a file holding an artifact manifest's bytes
    // (a copy of a store, say) is that manifest's blob: both are written above already.
    written.add(OciArtifacts.EMPTY_HEX);
    written.addAll(manifests.keySet());
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
    // A name of its own, so two creates of one bundle never write into each other's file.
    Path temporary =
        out.resolveSibling(
            "."
                + out.getFileName()
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".partial");
    progress.start(
        "bundle " + out.getFileName(),
        blobs.stream().mapToLong(blob -> blob.locked().size()).sum());
    try (ExitCleanup cleanup = ExitCleanup.of(temporary)) {
      BundleTarWriter.write(temporary, documents, blobs, progress);
      cleanup.commit(
          () -> {
            Files.move(
                temporary,
                out,
                StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.syncDirectory(out.toAbsolutePath().getParent());
          });
    } catch (IOException e) {
      DepsFiles.deleteQuietly(temporary);
      throw new InputException("cannot write bundle " + out + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      DepsFiles.deleteQuietly(temporary);
      throw e;
    } finally {
      progress.finish();
    }
  }

  /**
   * What a bundle holds, read from its index and manifests without reading the file blobs. The
   * signature is not checked: this is what the bundle claims until {@link #verify} confirms it.
   *
   * @throws FormatException when the bundle is not an airgap bundle
   */
  public static List<LockedArtifact> inspect(Path bundle) {
    return BundleReader.inspect(bundle);
  }

  /**
   * Checks a bundle completely: the signature with {@code key}, the statement against the index,
   * every member's name, type, size and digest, every file of every artifact present, and nothing
   * else present.
   *
   * @return when it was created and the artifacts it holds
   * @throws io.airgap.core.signing.SignatureException when it is not signed by {@code key}
   * @throws IntegrityException naming the member at fault
   */
  public static VerifiedBundle verify(Path bundle, PublicKey key) {
    return verify(bundle, key, Progress.NONE);
  }

  /** Verifies as {@link #verify(Path, PublicKey)}, telling {@code progress}. */
  public static VerifiedBundle verify(Path bundle, PublicKey key, Progress progress) {
    return verify(bundle, key, progress, null);
  }

  /**
   * Verifies as {@link #verify(Path, PublicKey)}, and refuses a bundle older than {@code age}
   * allows as soon as its statement verified.
   *
   * @throws io.airgap.core.trust.RollbackException when the bundle is older than {@code age}
   */
  public static VerifiedBundle verify(
      Path bundle, PublicKey key, Progress progress, BundleAge age) {
    Objects.requireNonNull(key, "key: a bundle is verified with its signer's public key");
    return BundleReader.read(bundle, key, null, progress, ageCheck(bundle, age)).bundle();
  }

  /** The check of a bundle's age once its statement verified; none without {@code age}. */
  private static BundleReader.SignedHeadCheck ageCheck(Path bundle, BundleAge age) {
    return age == null
        ? (created, manifests) -> {}
        : (created, manifests) -> age.check(created, bundle.toString());
  }

  /**
   * Verifies a bundle into a staging directory inside the store and only then adds its artifacts to
   * the store (a blob already present is replaced by its verified copy, the index is replaced
   * atomically). A bundle that fails leaves the store as it was.
   *
   * @return when the bundle was created and the artifacts imported
   * @throws io.airgap.core.trust.RollbackException when the store holds one of its artifacts from a
   *     bundle created later (older media replayed); nothing is imported then
   */
  public static VerifiedBundle importInto(Path bundle, PublicKey key, ContentStore store) {
    return importInto(bundle, key, store, Progress.NONE);
  }

  /** Imports as {@link #importInto(Path, PublicKey, ContentStore)}, telling {@code progress}. */
  public static VerifiedBundle importInto(
      Path bundle, PublicKey key, ContentStore store, Progress progress) {
    return importInto(bundle, key, store, progress, null);
  }

  /**
   * Imports as {@link #importInto(Path, PublicKey, ContentStore)}, and refuses a bundle older than
   * {@code age} allows as soon as its statement verified; nothing is imported then.
   *
   * @throws io.airgap.core.trust.RollbackException when the bundle is older than {@code age}, or
   *     would put older content of an artifact back
   */
  public static VerifiedBundle importInto(
      Path bundle, PublicKey key, ContentStore store, Progress progress, BundleAge age) {
    Objects.requireNonNull(key, "key: a bundle is imported only with its signer's public key");
    BundleReader.SignedHeadCheck ageCheck = ageCheck(bundle, age);
    try (StagingDirectory staging = store.newStaging(progress)) {
      // Refused as soon as the statement verified, not after hours of copying blobs; the
      // rollback check runs again under the writer lock when the blobs move in.
      BundleReader.Verified verified =
          BundleReader.read(
              bundle,
              key,
              staging.path(),
              progress,
              (created, manifests) -> {
                ageCheck.check(created, manifests);
                store.refuseRollback(created, manifests);
              });
      store.importStaged(
          verified.bundle(), verified.manifests(), verified.envelope(), staging.path(), progress);
      return verified.bundle();
    }
  }
}
