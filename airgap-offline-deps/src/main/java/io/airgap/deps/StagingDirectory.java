package io.airgap.deps;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An import's private directory inside a content store ({@value #PREFIX}...), where a bundle's
 * blobs are written while it is verified. Its owner holds a file lock on {@value #OWNER} inside it
 * for as long as the import runs, so a later import can tell a directory left by a killed import
 * (the lock is gone with its process) from one in use, whatever the process ids, containers or
 * hosts sharing the store. Staging directories are created and removed as stale only under the
 * store's {@link WriterLock}, so a directory without its owner file is one whose import died before
 * it locked it.
 */
final class StagingDirectory implements AutoCloseable {
  /** The name every staging directory starts with. */
  static final String PREFIX = ".staging-";

  /** The file whose lock says the staging directory is in use. */
  private static final String OWNER = ".owner";

  /**
   * Staging directories this process owns. They are never probed: closing a channel on a file
   * releases every lock this process holds on it, the owner's included.
   */
  private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FileChannel owner;
  private final FileLock lock;

  private StagingDirectory(Path directory, FileChannel owner, FileLock lock) {
    this.directory = directory;
    this.owner = owner;
    this.lock = lock;
  }

  /**
   * Creates a staging directory in {@code root} and locks it; the caller holds the writer lock.
   *
   * @throws IOException when it cannot be created or locked
   */
  static StagingDirectory create(Path root) throws IOException {
    Path directory = Files.createTempDirectory(root, PREFIX).toAbsolutePath().normalize();
    OWNED.add(directory);
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              directory.resolve(OWNER), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("cannot lock the new staging directory " + directory);
      }
      return new StagingDirectory(directory, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      OWNED.remove(directory);
      DepsFiles.deleteTreeQuietly(directory);
      throw e;
    }
  }

  /** The directory. */
  Path path() {
    return directory;
  }

  /**
   * Removes the staging directories of imports that are gone (killed mid-way): those whose owner
   * file is unlocked or missing. Only directories are considered, never followed through a link.
   * The caller holds the writer lock.
   */
  static void removeStale(Path root) {
    try (Stream<Path> entries = Files.list(root)) {
      for (Path entry : entries.toList()) {
        Path absolute = entry.toAbsolutePath().normalize();
        if (entry.getFileName().toString().startsWith(PREFIX)
            && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)
            && !OWNED.contains(absolute)) {
          removeIfAbandoned(absolute);
        }
      }
    } catch (IOException | RuntimeException e) {
      // leftovers are harmless (the store never reads them); the next import tries again
    }
  }

  private static void removeIfAbandoned(Path directory) throws IOException {
    Path ownerFile = directory.resolve(OWNER);
    if (!Files.isRegularFile(ownerFile, LinkOption.NOFOLLOW_LINKS)) {
      DepsFiles.deleteTreeQuietly(directory);
      return;
    }
    try (FileChannel channel =
        FileChannel.open(ownerFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = channel.tryLock();
      if (lock != null) { // its owner is gone
        DepsFiles.deleteTreeQuietly(directory);
      }
    } catch (NoSuchFileException e) {
      // its owner finished and removed it meanwhile
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // this process holds it: in use
    }
  }

  /** Removes the directory and everything in it, then gives up ownership. */
  @Override
  public void close() {
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : entries.toList()) {
        if (!entry.getFileName().toString().equals(OWNER)) {
          DepsFiles.deleteTreeQuietly(entry);
        }
      }
    } catch (IOException | RuntimeException e) {
      // what is left is removed as stale by a later import
    }
    try {
      lock.release();
      owner.close();
    } catch (IOException e) {
      // the lock goes with the channel, or with the process
    }
    OWNED.remove(directory);
    DepsFiles.deleteTreeQuietly(directory);
  }
}
