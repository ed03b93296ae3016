package io.airgap.deps;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An import's private directory inside a content store ({@value #PREFIX}...), where a bundle's
 * blobs are written while it is verified. Its owner holds a file lock on {@value #OWNER} inside it
 * for as long as the import runs, so a later import can tell a directory left by a killed import
 * (the lock is gone with its process) from one in use, whatever the process ids or containers
 * sharing the store. Staging directories are created, and set aside as abandoned, only under the
 * store's {@link WriterLock}, so a directory without its owner file is one whose import died before
 * it locked it. Like the writer lock, this needs a file system whose POSIX locks all sharers see (a
 * local disk; NFS with working lock service).
 */
final class StagingDirectory implements AutoCloseable {
  /** The name every staging directory starts with. */
  static final String PREFIX = ".staging-";

  /** The name abandoned staging directories get while they are deleted. */
  static final String ABANDONED = ".abandoned-";

  /** The file whose lock says the staging directory is in use. */
  private static final String OWNER = ".owner";

  private static final Logger LOG = LoggerFactory.getLogger(StagingDirectory.class);

  /**
   * The owner files of the staging directories this process owns, by file identity. They are never
   * opened by the sweep: closing a channel on a file releases every lock this process holds on it,
   * the owner's included, and a path spelling (a link, another mount) would not say it is ours.
   */
  private static final Set<Object> OWNED = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final Object ownerIdentity;
  private final FileChannel owner;
  private final FileLock lock;

  private StagingDirectory(Path directory, Object ownerIdentity, FileChannel owner, FileLock lock) {
    this.directory = directory;
    this.ownerIdentity = ownerIdentity;
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
    Object identity = null;
    FileChannel channel = null;
    try {
      Path ownerFile = Files.createFile(directory.resolve(OWNER));
      identity = DepsFiles.fileIdentity(ownerFile);
      OWNED.add(identity);
      channel = FileChannel.open(ownerFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException("cannot lock the new staging directory " + directory);
      }
      return new StagingDirectory(directory, identity, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      if (identity != null) {
        OWNED.remove(identity);
      }
      DepsFiles.deleteTreeQuietly(directory);
      throw e;
    }
  }

  /** The directory. */
  Path path() {
    return directory;
  }

  /**
   * Renames the staging directories of imports that are gone (killed mid-way: their owner file is
   * unlocked or missing) to {@value #ABANDONED}..., and returns them with any abandoned earlier,
   * for the caller to delete once it released the writer lock (a whole bundle's blobs may take a
   * while). Only directories are considered, never followed through a link; one that cannot be
   * examined is logged and left. The caller holds the writer lock.
   */
  static List<Path> setAsideAbandoned(Path root) {
    List<Path> abandoned = new ArrayList<>();
    List<Path> entries;
    try (Stream<Path> listing = Files.list(root)) {
      entries = listing.toList();
    } catch (IOException e) {
      LOG.warn("cannot list {} to remove abandoned staging directories: {}", root, e.toString());
      return abandoned;
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        if (name.startsWith(ABANDONED)) {
          abandoned.add(entry);
        } else if (name.startsWith(PREFIX) && isAbandoned(entry)) {
          Path aside =
              root.resolve(
                  ABANDONED + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
          Files.move(entry, aside);
          abandoned.add(aside);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("cannot examine staging directory {}; left as it is: {}", entry, e.toString());
      }
    }
    return abandoned;
  }

  private static boolean isAbandoned(Path directory) throws IOException {
    Path ownerFile = directory.resolve(OWNER);
    if (!Files.isRegularFile(ownerFile, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    if (OWNED.contains(DepsFiles.fileIdentity(ownerFile))) {
      return false;
    }
    try (FileChannel channel =
        FileChannel.open(ownerFile, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
      return channel.tryLock() != null; // free: its owner is gone
    } catch (NoSuchFileException e) {
      return false; // its owner finished and removed it meanwhile
    } catch (OverlappingFileLockException e) {
      return false; // this process holds it
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
      // what is left is removed as abandoned by a later import
    }
    try {
      lock.release();
      owner.close();
    } catch (IOException e) {
      // the lock goes with the channel, or with the process
    }
    OWNED.remove(ownerIdentity);
    DepsFiles.deleteTreeQuietly(directory);
  }
}
