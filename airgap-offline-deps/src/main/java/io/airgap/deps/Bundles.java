package io.airgap.deps;

import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.signing.SigningKey;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * Bundles carried across the gap: a tar of an OCI image layout holding one artifact manifest per
 * artifact and one blob per file, with a DSSE-signed in-toto statement over the manifest digests
 * ({@value #SIGNATURE}). Members are written in a fixed order (layout, index, signature, manifests,
 * files) and read back in that order, so a reader knows every member's expected size and digest
 * before it reads its bytes: a member larger than its manifest says is refused at that size, never
 * read to the end. Each operation takes its options as one object ({@link BundleOptions}, {@link
 * VerifyOptions}). Stateless.
 */
public final class Bundles {
  /** The signature member at the root of the tar. */
  public static final String SIGNATURE = "airgap-bundle.dsse.json";

  /** The largest small member (layout, index, signature, manifest) read, in bytes. */
  static final long MAX_DOCUMENT = 16L << 20;

  private Bundles() {}

  /**
   * Writes a signed bundle of every artifact of {@code lock} to {@code out}, checking each file
   * against the lock while it is written. The files come from {@link BundleOptions#files()}, or are
   * fetched again from {@link BundleOptions#repositories()} into a scratch directory. The tar is
   * written under a temporary name ({@code .OUT.*.partial}, beside {@code out} or in the work
   * directory), forced to the device, then renamed to {@code out}, or, with a split size, split
   * into {@code OUT.part000}, {@code OUT.part001}... beside {@code out} (see {@link BundleParts}).
   *
   * <p>All or nothing: a failure, or a JVM stopped by Ctrl-C or SIGTERM, removes the scratch
   * directory, the temporary file and every part written; a stop waits for a final rename or
   * descriptor in progress instead of racing it.
   *
   * @return the bundle to pass to {@link #verify} and {@link #importInto}: {@code out}, or its
   *     first part when split
   * @throws IntegrityException when a file is not what the lock says
   * @throws MissingArtifactsException listing every artifact no repository has
   * @throws InputException when parts named after {@code out} exist already (checked before any
   *     bundling), or on a write error
   */
  public static Path create(Lockfile lock, SigningKey key, Path out, BundleOptions options) {
    Objects.requireNonNull(lock, "lock must not be null");
    Objects.requireNonNull(key, "key must not be null");
    Objects.requireNonNull(out, "out must not be null");
    Objects.requireNonNull(options, "options must not be null");
    return BundleCreation.create(lock, key, out, options);
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
   * Checks a bundle (or the first part of a split one) completely: the signature with {@code key},
   * the statement against the index, every member's name, type, size and digest, every file of
   * every artifact present, and nothing else present; with an age limit, a bundle older than it
   * allows is refused as soon as its statement verified.
   *
   * @return when it was created and the artifacts it holds
   * @throws io.airgap.core.signing.SignatureException when it is not signed by {@code key}
   * @throws IntegrityException naming the member at fault
   * @throws io.airgap.core.trust.RollbackException when the bundle is older than the age allowed
   */
  public static VerifiedBundle verify(Path bundle, PublicKey key, VerifyOptions options) {
    Objects.requireNonNull(key, "key: a bundle is verified with its signer's public key");
    Objects.requireNonNull(options, "options must not be null");
    return BundleReader.read(
            bundle,
            key,
            null,
            options.progress(),
            (created, manifests) -> options.checkAge(created, bundle))
        .bundle();
  }

  /**
   * Verifies a bundle as {@link #verify} into a staging directory inside the store and only then
   * adds its artifacts to the store (a blob already present is replaced by its verified copy, the
   * index is replaced atomically). A bundle that fails, or a JVM stopped before the index is
   * replaced, leaves the store as it was.
   *
   * @return when the bundle was created and the artifacts imported
   * @throws io.airgap.core.trust.RollbackException when the bundle is older than the age allowed,
   *     or the store holds one of its artifacts from a bundle created later (older media replayed);
   *     nothing is imported then
   */
  public static VerifiedBundle importInto(
      Path bundle, PublicKey key, ContentStore store, VerifyOptions options) {
    Objects.requireNonNull(key, "key: a bundle is imported only with its signer's public key");
    Objects.requireNonNull(store, "store must not be null");
    Objects.requireNonNull(options, "options must not be null");
    return StoreImport.into(bundle, key, store, options);
  }

  /**
   * Imports as {@link #importInto(Path, PublicKey, ContentStore, VerifyOptions)} into the content
   * store at {@code store}, creating it when absent (see {@link ContentStore#openOrCreate}). When
   * the directory did not exist, a failed import, or a JVM stopped before the import completed,
   * removes the store and the directories made for it again, so a mistyped path is not left looking
   * like a store; a store another process has put anything into meanwhile is kept.
   *
   * @return when the bundle was created and the artifacts imported
   * @throws io.airgap.core.trust.RollbackException as for an existing store
   * @throws FormatException when {@code store} holds something other than a content store
   */
  public static VerifiedBundle importInto(
      Path bundle, PublicKey key, Path store, VerifyOptions options) {
    Objects.requireNonNull(key, "key: a bundle is imported only with its signer's public key");
    Objects.requireNonNull(store, "store must not be null");
    Objects.requireNonNull(options, "options must not be null");
    return StoreImport.into(bundle, key, store, options);
  }
}
