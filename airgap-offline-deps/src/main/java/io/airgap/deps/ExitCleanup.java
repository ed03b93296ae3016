package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Removes what an operation is writing if the JVM shuts down before it ends (Ctrl-C or SIGTERM run
 * shutdown hooks), so an interrupted {@code bundle create} does not leave a hidden multi-GB
 * temporary file on a small medium. The step that makes the result final (a rename, a descriptor
 * written) runs through {@link #commit}, which the hook waits for: either the hook deleted the
 * temporary files and the step refuses to run, or the step ran and the hook deletes nothing. A
 * SIGKILL runs no hook; the temporary names start with a dot and say what they are. Closing it (the
 * operation ended, done or failed) withdraws the hook.
 */
final class ExitCleanup implements AutoCloseable {
  /** A step that may fail with an I/O error. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  private final List<Path> paths = new CopyOnWriteArrayList<>();
  private final Thread hook;
  private final boolean registered;
  private boolean stopped; // guarded by this

  private ExitCleanup() {
    hook = new Thread(this::stop, "airgap-exit-cleanup");
    registered = register(hook);
  }

  /** Deletes {@code path} (a file or a directory tree) if the JVM exits before {@link #commit}. */
  static ExitCleanup of(Path path) {
    ExitCleanup cleanup = new ExitCleanup();
    cleanup.add(path);
    return cleanup;
  }

  /**
   * Deletes {@code path} too: call it before writing there.
   *
   * @throws InputException when the JVM is stopping (nothing should be written any more)
   */
  synchronized void add(Path path) {
    refuseIfStopped();
    paths.add(path);
  }

  /**
   * Creates {@code path}, which must not exist, for writing, and deletes it too if the JVM stops.
   * The creation and a stop exclude each other, so no file made just after a stop stays behind.
   *
   * @throws InputException when the JVM is stopping
   */
  synchronized FileChannel create(Path path) throws IOException {
    refuseIfStopped();
    FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    paths.add(path);
    return channel;
  }

  /**
   * Runs the step that makes the result final, unless the JVM is stopping; after it, nothing is
   * deleted.
   *
   * @throws InputException when the JVM is stopping and the temporary files are gone
   */
  synchronized void commit(Step step) throws IOException {
    refuseIfStopped();
    step.run();
    paths.clear();
  }

  private void refuseIfStopped() {
    if (stopped) {
      throw new InputException("stopped while it was written: the JVM is shutting down");
    }
  }

  /** What the hook does: deletes what is not committed, and refuses a later commit. */
  synchronized void stop() {
    stopped = true;
    paths.forEach(DepsFiles::deleteTreeQuietly);
  }

  private static boolean register(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false; // the JVM is shutting down already
    }
  }

  @Override
  public void close() {
    if (registered) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs, and deletes only what is still uncommitted
      }
    }
  }
}
