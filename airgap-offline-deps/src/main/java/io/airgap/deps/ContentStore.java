package io.airgap.deps;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.trust.RollbackException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The isolated side's store of artifacts: an OCI image layout ({@code oci-layout}, {@code
 * index.json}, {@code blobs/sha256/}) holding one artifact manifest per artifact, named in the
 * index. Blobs are content-addressed and shared between artifacts. Adding writes every blob under a
 * temporary name, checks its digest, renames it into place, then replaces {@code index.json}
 * atomically: a crash leaves the store as it was or complete, never an index naming a missing blob.
 * One writer at a time (a lock file); thread-safe for readers.
 */
public final class ContentStore {

  private final Path root;

  private ContentStore(Path root) {
    this.root = root;
  }

  /**
   * Opens an existing store. Reading commands use this: a mistyped path, or a medium that did not
   * mount, must not pass as an empty store that "verifies".
   *
   * @throws InputException when {@code root} does not exist or holds no {@code oci-layout}
   * @throws FormatException when its {@code oci-layout} is not version 1.0.0
   */
  public static ContentStore open(Path root) {
    Path layout = root.resolve("oci-layout");
    if (!Files.isDirectory(root)) {
      throw new InputException("content store " + root + " does not exist");
    }
    if (!Files.exists(layout)) {
      throw new InputException(
          root + " holds no oci-layout; it is not a content store (bundle import creates one)");
    }
    return openOrCreate(root);
  }

  /**
   * Opens a store, creating an empty layout when {@code root} does not exist or is empty; what
   * imports use. Creation happens under the writer lock and writes {@code oci-layout} last, so two
   * processes creating one store agree, and a creation cut short is completed by the next call.
   *
   * @throws FormatException when the directory holds something other than an OCI layout
   */
  public static ContentStore openOrCreate(Path root) {
    Path layout = root.resolve("oci-layout");
    try {
      Files.createDirectories(root);
      if (!Files.exists(layout, LinkOption.NOFOLLOW_LINKS)) {
        StoreLayout.refuseForeignContent(root); // before a lock file is made in someone's directory
        try (WriterLock lock = WriterLock.acquire(root, message -> {})) {
          if (!Files.exists(layout, LinkOption.NOFOLLOW_LINKS)) { // or created meanwhile
            StoreLayout.create(root);
          }
        }
      }
      OciArtifacts.checkLayout(DepsFiles.readDocument(layout, false), layout.toString());
      return new ContentStore(root);
    } catch (IOException e) {
      throw new InputException("cannot open content store " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the store when it holds nothing: no artifact, no blob, no import in progress; what a
   * caller that created it for an import that then failed should do, so a mistyped path is not left
   * looking like a store. A store holding anything is left as it is.
   *
   * @return whether the store was deleted
   */
  public boolean deleteIfEmpty() {
    return StoreLayout.deleteIfEmpty(this);
  }

  /** Under the writer lock: the store is still there (another process may have deleted it). */
  private void requireLayout() {
    if (!Files.exists(root.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(
          root + " is no longer a content store (deleted meanwhile by another process?)");
    }
  }

  /** The store's directory. */
  public Path root() {
    return root;
  }

  /** The path of a blob by its SHA-256 (64 hex digits). */
  public Path blob(String sha256) {
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("not a SHA-256: " + sha256);
    }
    return root.resolve("blobs/sha256").resolve(sha256);
  }

  /** Every stored artifact, by name. */
  public List<LockedArtifact> list() {
    List<LockedArtifact> artifacts = new ArrayList<>();
    index().forEach((name, descriptor) -> artifacts.add(read(name, descriptor)));
    return artifacts;
  }

  /** The stored artifact of that name, if any. */
  public Optional<LockedArtifact> artifact(String name) {
    OciArtifacts.Descriptor descriptor = index().get(name);
    return descriptor == null ? Optional.empty() : Optional.of(read(name, descriptor));
  }

  Map<String, OciArtifacts.Descriptor> index() {
    Path index = root.resolve("index.json");
    try {
      return OciArtifacts.parseIndex(DepsFiles.readDocument(index, false), index.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + index + ": " + e.getMessage(), e);
    }
  }

  LockedArtifact read(String name, OciArtifacts.Descriptor descriptor) {
    Path manifest = blob(descriptor.hex());
    try {
      byte[] bytes = DepsFiles.readDocument(manifest, false);
      if (bytes.length != descriptor.size() || !DepsFiles.sha256(bytes).equals(descriptor.hex())) {
        throw new IntegrityException(
            "the manifest of "
                + name
                + " ("
                + manifest
                + ") is not its digest; the store is damaged (run airgap store verify)");
      }
      LockedArtifact artifact = OciArtifacts.parse(bytes, manifest.toString());
      if (!artifact.name().equals(name)) {
        throw new FormatException(
            manifest + " names artifact " + artifact.name() + ", the index says " + name);
      }
      return artifact;
    } catch (IOException e) {
      throw new InputException(
          "cannot read the manifest of " + name + " (" + manifest + "): " + e.getMessage(), e);
    }
  }

  /**
   * Adds (or replaces) an artifact whose files lie under {@code files} at their relative paths:
   * each file is copied into its blob while its size and SHA-256 are checked against the artifact's
   * record; blobs already present are kept. Only then is the index replaced. The artifact carries
   * no bundle creation time, so a later import of any bundle may replace it. Nothing vouches for
   * {@code artifact} here but the caller: this is for programs that checked the files another way;
   * what crosses the gap goes through {@link Bundles#importInto}.
   *
   * @throws IntegrityException when a file is not what the artifact says; nothing is added
   */
  public void add(LockedArtifact artifact, Path files) {
    try (WriterLock lock = WriterLock.acquire(root, message -> {})) {
      for (LockedFile file : artifact.files()) {
        putBlob(files.resolve(file.path()), file);
      }
      writeEmptyConfig();
      byte[] manifest = OciArtifacts.manifest(artifact);
      String manifestHex = DepsFiles.sha256(manifest);
      Path manifestBlob = blob(manifestHex);
      if (!Files.exists(manifestBlob)) {
        AtomicFiles.write(manifestBlob, manifest);
      }
      Map<String, OciArtifacts.Descriptor> index = new LinkedHashMap<>(index());
      index.put(
          artifact.name(), new OciArtifacts.Descriptor("sha256:" + manifestHex, manifest.length));
      AtomicFiles.syncDirectory(root.resolve("blobs/sha256")); // the blobs' names before the index
      AtomicFiles.write(root.resolve("index.json"), OciArtifacts.index(index));
    } catch (IOException e) {
      throw new InputException(
          "cannot add " + artifact.name() + " to " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Moves verified blobs from a staging directory inside the store (named by their SHA-256) into
   * place, replacing copies already present, then names every artifact in the index with one atomic
   * replacement: an interrupted import leaves the index as it was, or complete. Each artifact's
   * manifest is the one the bundle carried and its signature named ({@code manifests}), never one
   * written again here, and its entry records when the bundle was created and the blob holding its
   * signed {@code envelope} (staged already), the evidence of who vouched for it. A wait for
   * another writer is told to {@code progress}.
   *
   * @throws RollbackException when an artifact of the bundle is held from a bundle created later;
   *     nothing is moved then
   */
  void importStaged(
      VerifiedBundle bundle,
      Map<String, OciArtifacts.Descriptor> manifests,
      byte[] envelope,
      Path staging,
      Progress progress) {
    try (WriterLock lock = WriterLock.acquire(root, progress::note)) {
      requireLayout();
      Map<String, OciArtifacts.Descriptor> index = new LinkedHashMap<>(index());
      refuseRollback(bundle.created(), manifests, index);
      Set<String> moved = new HashSet<>();
      String envelopeHex = DepsFiles.sha256(envelope);
      OciArtifacts.Provenance provenance =
          new OciArtifacts.Provenance(bundle.created(), "sha256:" + envelopeHex);
      boolean vouches = false;
      for (LockedArtifact artifact : bundle.artifacts()) {
        OciArtifacts.Descriptor manifest = manifests.get(artifact.name());
        moveIn(staging, manifest.hex(), moved);
        for (LockedFile file : artifact.files()) {
          moveIn(staging, file.sha256(), moved);
        }
        OciArtifacts.Descriptor held = index.get(artifact.name());
        if (!keepsNewerProvenance(held, manifest, bundle.created())) {
          index.put(artifact.name(), manifest.importedFrom(provenance));
          vouches = true;
        }
      }
      if (vouches) {
        moveIn(staging, envelopeHex, moved);
      }
      writeEmptyConfig();
      AtomicFiles.syncDirectory(root.resolve("blobs/sha256"));
      AtomicFiles.write(root.resolve("index.json"), OciArtifacts.index(index));
    } catch (IOException e) {
      throw new InputException("cannot import into " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether the store's entry {@code held} already names the same manifest from a bundle created
   * after {@code created}: then it keeps that record (the newest bundle to vouch for the bytes).
   */
  private static boolean keepsNewerProvenance(
      OciArtifacts.Descriptor held, OciArtifacts.Descriptor manifest, java.time.Instant created) {
    return held != null
        && held.provenance() != null
        && held.hex().equals(manifest.hex())
        && held.provenance().created().isAfter(created);
  }

  /**
   * Refuses a bundle that would replace an artifact the store holds with other content from a
   * bundle created no later than the one that brought the store's copy: older media replayed would
   * otherwise put older native libraries, tokenizers or models back. The same content, from any
   * bundle, is never refused; a bundle made in the same second as the store's with other content is
   * (the order cannot be told). Going back on purpose means bundling the older artifact again.
   * Called once the bundle's statement verified (before its blobs are read) and again under the
   * writer lock.
   *
   * @param manifests the bundle's manifest descriptors by artifact name
   * @throws RollbackException naming every such artifact; nothing is imported
   */
  void refuseRollback(java.time.Instant created, Map<String, OciArtifacts.Descriptor> manifests) {
    refuseRollback(created, manifests, index());
  }

  private static void refuseRollback(
      java.time.Instant created,
      Map<String, OciArtifacts.Descriptor> manifests,
      Map<String, OciArtifacts.Descriptor> index) {
    List<String> newer = new ArrayList<>();
    manifests.forEach(
        (name, manifest) -> {
          OciArtifacts.Descriptor held = index.get(name);
          if (held != null
              && held.provenance() != null
              && !held.hex().equals(manifest.hex())
              && !created.isAfter(held.provenance().created())) {
            newer.add(name + " (from a bundle created " + held.provenance().created() + ")");
          }
        });
    if (!newer.isEmpty()) {
      throw new RollbackException(
          "the bundle was created "
              + created
              + ", no later than the bundles that brought other content of the store's "
              + String.join(", ", newer)
              + "; nothing was imported (an older bundle replayed? to go back on purpose, bundle"
              + " the older artifacts again)");
    }
  }

  /** The manifests' empty config blob, which OCI tools read even though its data is inline. */
  private void writeEmptyConfig() {
    Path empty = blob(OciArtifacts.EMPTY_HEX);
    if (!Files.exists(empty, LinkOption.NOFOLLOW_LINKS)) {
      AtomicFiles.write(empty, OciArtifacts.EMPTY_BLOB);
    }
  }

  /**
   * Moves a verified staged blob into place. A copy already in the store is replaced rather than
   * trusted: it may have been damaged since it came in, and the staged bytes were just verified, so
   * importing a bundle again repairs the blobs it carries. The store still holds one copy. Staged
   * files were forced to the device when they were written, outside the writer lock.
   *
   * @param moved the blobs this import moved in so far: a blob two artifacts share is moved once
   */
  private void moveIn(Path staging, String hex, Set<String> moved) throws IOException {
    if (!moved.add(hex)) {
      return;
    }
    Path staged = staging.resolve(hex);
    if (!Files.isRegularFile(staged, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(
          "staged blob "
              + hex
              + " is missing from "
              + staging
              + "; nothing was imported, the index is unchanged");
    }
    Files.move(
        staged, blob(hex), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * A new staging directory for an import, created under the writer lock; the staging directories
   * of imports that were killed are set aside under the lock and deleted after it.
   */
  StagingDirectory newStaging(Progress progress) {
    List<Path> abandoned;
    StagingDirectory staging;
    try (WriterLock lock = WriterLock.acquire(root, progress::note)) {
      requireLayout();
      abandoned = StagingDirectory.setAsideAbandoned(root);
      staging = StagingDirectory.create(root);
    } catch (IOException e) {
      throw new InputException(
          "cannot create a staging directory in " + root + ": " + e.getMessage(), e);
    }
    abandoned.forEach(DepsFiles::deleteTreeQuietly);
    return staging;
  }

  /** Copies a file into its blob under a temporary name, checks it, then renames it into place. */
  private void putBlob(Path source, LockedFile expected) throws IOException {
    Path target = blob(expected.sha256());
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      return; // content-addressed: already here (the store's verify checks blobs)
    }
    Path temporary = target.resolveSibling(".incoming-" + expected.sha256());
    Files.deleteIfExists(temporary);
    HashingCopy.Result copied;
    try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
      copied = HashingCopy.copy(in, temporary, expected.size(), source.toString());
    } catch (HashingCopy.LimitExceeded e) {
      Files.deleteIfExists(temporary);
      throw new IntegrityException(
          source
              + " is larger than the "
              + expected.size()
              + " bytes recorded for "
              + expected.path());
    } catch (InputException e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
    if (copied.size() != expected.size() || !copied.sha256().equals(expected.sha256())) {
      Files.deleteIfExists(temporary);
      throw new IntegrityException(
          source
              + " is "
              + copied.size()
              + " bytes with SHA-256 "
              + copied.sha256()
              + "; "
              + expected.path()
              + " should be "
              + expected.size()
              + " bytes with "
              + expected.sha256());
    }
    try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    try {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temporary, target);
    }
  }

  /**
   * Copies an artifact's files out of the store into {@code target} (which must not exist) at their
   * relative paths, checking each blob's digest on the way. All or nothing: the files are written
   * into a temporary directory beside {@code target}, renamed to it only when every blob checked.
   *
   * @throws MissingArtifactsException when the store has no such artifact
   * @throws IntegrityException when a blob is missing or not its digest; nothing is left
   * @throws InputException when {@code target} exists
   */
  public void materialize(String name, Path target) {
    LockedArtifact artifact =
        artifact(name)
            .orElseThrow(
                () ->
                    new MissingArtifactsException(
                        List.of(name + ": not in content store " + root)));
    materializeAll(List.of(artifact), target, false);
  }

  /**
   * Copies artifacts out as the caller resolved them into {@code target/NAME/}, or the one artifact
   * straight into {@code target} when not {@code perName}, all or nothing: see {@link
   * StoreMaterializer}.
   *
   * @throws InputException when {@code target} exists or cannot be written
   * @throws IntegrityException when a blob is missing or not its digest
   */
  void materializeAll(List<LockedArtifact> artifacts, Path target, boolean perName) {
    new StoreMaterializer(this).materializeAll(artifacts, target, perName);
  }

  /**
   * Checks the whole store: every indexed manifest and every layer blob is present and hashes to
   * its name, and sizes match, and every recorded signed envelope is intact. Blobs nothing
   * references (left by an interrupted import, or by a replaced artifact) are not problems: see
   * {@link #unreferenced()}.
   *
   * @return one line per problem; empty when the store verifies
   */
  public List<String> check() {
    return new StoreCheck(this).check();
  }

  /**
   * Checks where every artifact came from: that its entry names the signed envelope of the bundle
   * that brought it, that the envelope verifies with {@code key}, and that its statement names this
   * artifact with exactly this manifest and the recorded creation time. With {@link #check()} (the
   * bytes), this is what an auditor asks: each artifact is what {@code key}'s holder bundled.
   *
   * @return one line per problem; empty when every artifact was imported from a bundle {@code key}
   *     signed
   */
  public List<String> checkProvenance(PublicKey key) {
    return new StoreCheck(this).checkProvenance(key);
  }

  /**
   * Blobs (and unfinished {@code .incoming-} files) that no indexed artifact references: garbage an
   * interrupted import or a replaced artifact leaves, never part of what the store holds.
   */
  public List<String> unreferenced() {
    return new StoreCheck(this).unreferenced();
  }
}
