package io.airgap.deps;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A content store's layout on disk, made and unmade: creation under the writer lock with {@code
 * oci-layout} written last (so a store without it was never complete, and a creation cut short is
 * completed by the next), what may lie in a directory before that, and deleting a store that holds
 * nothing.
 */
final class StoreLayout {
  /** What an empty store holds. */
  private static final Set<String> EMPTY_STORE =
      Set.of(WriterLock.FILE, "oci-layout", "index.json", "blobs");

  private StoreLayout() {}

  /** See {@link ContentStore#deleteIfEmpty()}. */
  static boolean deleteIfEmpty(ContentStore store) {
    Path root = store.root();
    try {
      try (WriterLock lock = WriterLock.acquire(root, message -> {})) {
        if (!store.index().isEmpty() || !isEmptyDirectory(root.resolve("blobs/sha256"))) {
          return false;
        }
        try (Stream<Path> entries = Files.list(root)) {
          for (Path entry : entries.toList()) {
            String name = entry.getFileName().toString();
            if (!EMPTY_STORE.contains(name)) {
              return false; // an import staging, or something someone put here
            }
          }
        }
        Files.delete(root.resolve("oci-layout")); // first: without it, no longer a store
        Files.delete(root.resolve("index.json"));
        Files.delete(root.resolve("blobs/sha256"));
        Files.delete(root.resolve("blobs"));
        if (!DepsFiles.hasFileKey(root.resolve(WriterLock.FILE))) {
          // Without file identities a waiting writer could not tell an unlinked lock file from
          // its replacement: leave it (and so the directory), which is no store any more.
          return true;
        }
        // Unlinked while held: a writer waiting on it finds, once it has it, that it is no longer
        // the file at the path, and tries again (see WriterLock).
        Files.delete(root.resolve(WriterLock.FILE));
      }
      Files.delete(root);
      return true;
    } catch (IOException e) {
      return false; // something appeared meanwhile, or cannot be removed: leave it
    }
  }

  /** Lays out an empty store in {@code root}, which holds at most a cut-short creation. */
  static void create(Path root) throws IOException {
    refuseForeignContent(root);
    Files.createDirectories(root.resolve("blobs/sha256"));
    AtomicFiles.write(root.resolve("index.json"), OciArtifacts.index(Map.of()));
    AtomicFiles.write(
        root.resolve("oci-layout"), OciArtifacts.LAYOUT.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Refuses a directory without {@code oci-layout} holding anything a creation does not write: it
   * is someone else's, and creating a store there would overwrite or mix with it.
   *
   * @throws FormatException naming the directory
   */
  static void refuseForeignContent(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        // Content other than a creation's appears only once oci-layout is written: then another
        // process or thread created the store meanwhile and added to it.
        if (!isCreationLeftover(entry)
            && !Files.exists(root.resolve("oci-layout"), LinkOption.NOFOLLOW_LINKS)) {
          throw new FormatException(
              root + " is not empty and holds no oci-layout; it is not a content store");
        }
      }
    }
  }

  /**
   * Whether {@code entry} is something {@link #create} writes before {@code oci-layout}: the lock
   * file, an index, their temporary files, or an empty {@code blobs/} or {@code blobs/sha256/}.
   */
  private static boolean isCreationLeftover(Path entry) throws IOException {
    if (!Files.exists(entry, LinkOption.NOFOLLOW_LINKS)) {
      return true; // gone since it was listed: a temporary file a concurrent creation renamed
    }
    String name = entry.getFileName().toString();
    if (name.equals("index.json")) { // only the empty index a creation writes, never someone's
      return Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
          && java.util.Arrays.equals(
              DepsFiles.readDocument(entry, false), OciArtifacts.index(Map.of()));
    }
    if (name.equals(WriterLock.FILE) || name.matches("\\.(index\\.json|oci-layout)\\..*\\.tmp")) {
      return Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
          || !Files.exists(entry, LinkOption.NOFOLLOW_LINKS);
    }
    if (!name.equals("blobs") || !Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> inside = Files.list(entry)) {
      for (Path child : inside.toList()) {
        if (!child.getFileName().toString().equals("sha256") || !isEmptyDirectory(child)) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isEmptyDirectory(Path directory) throws IOException {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> inside = Files.list(directory)) {
      return inside.findAny().isEmpty();
    }
  }
}
