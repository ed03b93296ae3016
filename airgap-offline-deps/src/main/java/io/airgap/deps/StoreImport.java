package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * One {@link Bundles#importInto}: verify the bundle into a staging directory of the store, then
 * move its blobs in and replace the index as the final step of an {@link ExitCleanup}, so a stop
 * either waits for that step or removes the staging directory and refuses it. Into a store at a
 * path that did not exist, the store and the directories made for it are undone too, on failure or
 * stop, unless another process has put something into it meanwhile. Stateless.
 */
final class StoreImport {
  private StoreImport() {}

  /** Imports into an existing store. */
  static VerifiedBundle into(
      Path bundle, PublicKey key, ContentStore store, VerifyOptions options) {
    try (ExitCleanup cleanup = ExitCleanup.of()) {
      return into(bundle, key, store, options, cleanup);
    }
  }

  /** Imports into the store at {@code root}, creating it (and its parents) when absent. */
  static VerifiedBundle into(Path bundle, PublicKey key, Path root, VerifyOptions options) {
    try (ExitCleanup cleanup = ExitCleanup.of()) {
      // Laid out while the hook waits, so a stop never interleaves with the creation.
      ContentStore store = cleanup.unlessStopped(() -> openCreating(root, cleanup));
      return into(bundle, key, store, options, cleanup);
    }
  }

  private static VerifiedBundle into(
      Path bundle, PublicKey key, ContentStore store, VerifyOptions options, ExitCleanup cleanup) {
    Progress progress = options.progress();
    try (StagingDirectory staging = store.newStaging(progress)) {
      cleanup.add(staging.path());
      // Refused as soon as the statement verified, not after hours of copying blobs; the
      // rollback check runs again under the writer lock when the blobs move in.
      BundleReader.Verified verified =
          BundleReader.read(
              bundle,
              key,
              staging.path(),
              progress,
              (created, manifests) -> {
                options.checkAge(created, bundle);
                store.refuseRollback(created, manifests);
              });
      // The final step takes the writer lock while it holds the cleanup, as the hook does when
      // it undoes a new store: one order, so neither waits for the other forever.
      cleanup.commit(
          () ->
              store.importStaged(
                  verified.bundle(),
                  verified.manifests(),
                  verified.envelope(),
                  staging.path(),
                  progress));
      return verified.bundle();
    } catch (IOException e) {
      throw new InputException("cannot import into " + store.root() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Opens the store at {@code root}, creating it when absent; when this call made its directory,
   * undoing removes the store if it is still empty, then the directories this call made.
   */
  private static ContentStore openCreating(Path root, ExitCleanup cleanup) {
    List<Path> created = createMissing(root);
    ContentStore store;
    try {
      store = ContentStore.openOrCreate(root);
    } catch (RuntimeException e) {
      deleteEmpty(created);
      throw e;
    }
    if (!created.isEmpty()) {
      cleanup.undo(
          () -> {
            try {
              store.deleteIfEmpty(); // under the writer lock; kept when anything came in
            } catch (RuntimeException e) {
              return; // no longer a store we can read: leave it as it is
            }
            deleteEmpty(created);
          });
    }
    return store;
  }

  /**
   * Creates {@code root} and its missing parents; returns those this call made, outermost first.
   */
  private static List<Path> createMissing(Path root) {
    Deque<Path> missing = new ArrayDeque<>();
    for (Path p = root.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        break;
      }
      missing.push(p);
    }
    List<Path> created = new ArrayList<>();
    try {
      for (Path directory : missing) {
        try {
          Files.createDirectory(directory);
          created.add(directory);
        } catch (FileAlreadyExistsException e) {
          // made meanwhile by someone else: theirs, never removed here
        }
      }
    } catch (IOException e) {
      deleteEmpty(created);
      throw new InputException("cannot create content store " + root + ": " + e.getMessage(), e);
    }
    return created;
  }

  /** Deletes the directories, innermost first, stopping at the first that holds anything. */
  private static void deleteEmpty(List<Path> directories) {
    for (int i = directories.size() - 1; i >= 0; i--) {
      try {
        Files.deleteIfExists(directories.get(i));
      } catch (IOException e) {
        return; // not empty (someone else's now), or cannot be removed: left as it is
      }
    }
  }
}
