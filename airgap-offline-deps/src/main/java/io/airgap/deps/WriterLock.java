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
 * and closing that thread's channel would release the first thread's lock. A writer that has to
 * wait says so once in the log.
 */
final class WriterLock implements AutoCloseable {
  /** The lock file in the store's root. */
  static final String FILE = ".lock";

  private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);
  private static final ConcurrentMap<Object, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;

  private WriterLock(ReentrantLock local, FileChannel channel, FileLock lock) {
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Waits for and takes the writer lock of the store at {@code root}, which must exist.
   *
   * @param waiting told, once, when the lock is held by another writer and the call waits
   * @throws IOException when the lock file cannot be created or locked
   * @throws IllegalStateException when this thread already holds it (writers do not nest)
   */
  static WriterLock acquire(Path root, Consumer<String> waiting) throws IOException {
    Path file = root.resolve(FILE);
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      // another writer made it; a link there is refused when it is opened below
    }
    // Keyed by the file's identity, not its path: the same store reached by another spelling, a
    // link or a second mount is the same lock to the operating system.
    ReentrantLock local =
        IN_PROCESS.computeIfAbsent(DepsFiles.fileIdentity(file), key -> new ReentrantLock());
    if (local.isHeldByCurrentThread()) {
      throw new IllegalStateException("this thread already holds the writer lock of " + root);
    }
    if (!local.tryLock()) {
      wait(waiting, "waiting for another writer of content store " + root + " in this process");
      local.lock();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
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
      return new WriterLock(local, channel, lock);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
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
      local.unlock();
    }
  }
}
