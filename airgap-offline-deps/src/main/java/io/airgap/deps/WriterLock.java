package io.airgap.deps;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A content store's writer lock: one writer at a time, across processes through a file lock on
 * {@value #FILE} and across threads of this process through an in-process lock taken first. The
 * file lock alone is not enough inside one process: a JVM holds file locks for the whole process,
 * so a second thread's attempt fails with {@link java.nio.channels.OverlappingFileLockException},
 * and closing that thread's channel would release the first thread's lock. Both are kept per file
 * identity (device and inode), so a store reached through a link or a bind mount is one lock; two
 * NFS mounts of one export have different devices and are not (and neither are two class loaders
 * holding this class: load airgap once per JVM). A writer that deletes the store unlinks the lock
 * file while it holds it, so a writer that then gets the lock checks that it is still the file at
 * the path, and otherwise starts again. A writer that has to wait says so. Close it on the thread
 * that acquired it.
 */
final class WriterLock implements AutoCloseable {
  /** The lock file in the store's root. */
  static final String FILE = ".lock";

  private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);
  private static final ConcurrentMap<Object, InProcess> IN_PROCESS = new ConcurrentHashMap<>();

  private final Object identity;
  private final InProcess local;
  private final FileChannel channel;
  private final FileLock lock;

  private WriterLock(Object identity, InProcess local, FileChannel channel, FileLock lock) {
    this.identity = identity;
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * The in-process side of one lock file, counted so the map forgets it once no thread holds or
   * waits for it (a long-running service touches many stores).
   */
  private static final class InProcess {
    final ReentrantLock lock = new ReentrantLock();
    int users; // changed only inside the map's compute, so counted atomically per key

    static InProcess enter(Object identity) {
      return IN_PROCESS.compute(
          identity,
          (key, held) -> {
            InProcess entry = held == null ? new InProcess() : held;
            entry.users++;
            return entry;
          });
    }

    /** Gives up the in-process lock, then this thread's use of the entry. */
    void release(Object identity) {
      lock.unlock();
      leave(identity);
    }

    void leave(Object identity) {
      IN_PROCESS.computeIfPresent(identity, (key, held) -> --held.users == 0 ? null : held);
    }
  }

  /**
   * Waits for and takes the writer lock of the store at {@code root}, which must exist.
   *
   * @param waiting told, once, when the lock is held by another writer and the call waits
   * @throws IOException when the lock file cannot be created or locked
   * @throws IllegalStateException when this thread already holds it (writers do not nest)
   */
  static WriterLock acquire(Path root, Consumer<String> waiting) throws IOException {
    while (true) {
      WriterLock lock = tryAcquire(root, waiting);
      if (lock != null) {
        return lock;
      }
    }
  }

  /** The lock, or null when the lock file was unlinked or replaced while this waited for it. */
  private static WriterLock tryAcquire(Path root, Consumer<String> waiting) throws IOException {
    Path file = root.resolve(FILE);
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // another writer made it; a link there is refused when it is opened below
    }
    // Keyed by the file's identity, not its path: the same store reached by another spelling or
    // a bind mount is the same lock to the operating system.
    Object identity;
    try {
      identity = DepsFiles.fileIdentity(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return null; // unlinked by a writer that deleted the store just now: look again
    }
    InProcess local = InProcess.enter(identity);
    if (local.lock.isHeldByCurrentThread()) {
      local.leave(identity);
      throw new IllegalStateException("this thread already holds the writer lock of " + root);
    }
    try {
      if (!local.lock.tryLock()) {
        wait(waiting, "waiting for another writer of content store " + root + " in this process");
        local.lock.lock();
      }
    } catch (RuntimeException e) {
      local.leave(identity); // the waiting callback failed before the lock was taken
      throw e;
    }
    WriterLock taken = null;
    try {
      // Another thread of this process may have unlinked the file while this one waited: then a
      // channel on whatever is at the path now could overlap a lock this process holds on it, and
      // closing that channel would drop it. Look again instead.
      if (stillAt(file, identity)) {
        taken = lockFile(root, file, identity, local, waiting);
      }
      return taken;
    } finally {
      if (taken == null) {
        local.release(identity);
      }
    }
  }

  /**
   * Takes the file lock, this thread holding the in-process lock of {@code identity}; null when the
   * file is no longer the one at the path once locked (unlinked meanwhile).
   */
  private static WriterLock lockFile(
      Path root, Path file, Object identity, InProcess local, Consumer<String> waiting)
      throws IOException {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        wait(
            waiting,
            "waiting for another process writing content store "
                + root
                + " (it holds "
                + file
                + ")");
        lock = channel.lock();
      }
      if (stillAt(file, identity)) {
        return new WriterLock(identity, local, channel, lock);
      }
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    channel.close(); // releases the lock on the unlinked file
    return null;
  }

  /** How many lock files this process keeps in-process state for: those held or waited for. */
  static int tracked() {
    return IN_PROCESS.size();
  }

  /** Whether {@code file} still names the file of that identity. */
  private static boolean stillAt(Path file, Object identity) {
    try {
      return DepsFiles.fileIdentity(file).equals(identity);
    } catch (IOException e) {
      return false; // unlinked
    }
  }

  private static void wait(Consumer<String> waiting, String message) {
    LOG.info(message);
    waiting.accept(message);
  }

  /** Releases the lock. */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      local.release(identity);
    }
  }
}
