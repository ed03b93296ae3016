package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * Undoes what an operation wrote if the JVM shuts down before it ends (Ctrl-C or SIGTERM run
 * shutdown hooks), so an interrupted {@code bundle create} does not leave a hidden multi-GB
 * temporary file on a small medium, nor an interrupted import into a new store an empty store. The
 * step that makes the result final (a rename, a descriptor written, an index replaced) runs through
 * {@link #commit}, which the hook waits for: either the hook undid everything and the step refuses
 * to run, or the step ran and the hook undoes nothing. A step that must not interleave with the
 * hook without being final (laying out a new store) runs through {@link #unlessStopped}. Undo
 * actions run last-added first. Closing undoes what was not committed, so a failed operation undoes
 * its writes at once. A SIGKILL runs no hook; the temporary names start with a dot and say what
 * they are. Closing it (the operation ended, done or failed) withdraws the hook. Thread-safe.
 */
final class ExitCleanup implements AutoCloseable {
  /** A step that may fail with an I/O error. */
  @FunctionalInterface
  interface Step {
    void run() throws IOException;
  }

  private final Deque<Runnable> undo = new ArrayDeque<>(); // guarded by this
  private final Thread hook;
  private final boolean registered;
  private boolean stopped; // guarded by this

  private ExitCleanup() {
    hook = new Thread(this::stop, "airgap-exit-cleanup");
    registered = register(hook);
  }

  /**
   * Deletes each of {@code paths} (a file or a directory tree) if the JVM exits before {@link
   * #commit}; none for an operation that adds what it writes as it goes.
   */
  static ExitCleanup of(Path... paths) {
    ExitCleanup cleanup = new ExitCleanup();
    for (Path path : paths) {
      cleanup.add(path);
    }
    return cleanup;
  }

  /**
   * Deletes {@code path} too: call it before writing there.
   *
   * @throws InputException when the JVM is stopping (nothing should be written any more)
   */
  synchronized void add(Path path) {
    undo(() -> DepsFiles.deleteTreeQuietly(path));
  }

  /**
   * Runs {@code action} too when the operation is undone; it must not throw, and runs while the
   * hook holds this cleanup (so it must not wait for a thread that waits for it).
   *
   * @throws InputException when the JVM is stopping
   */
  synchronized void undo(Runnable action) {
    refuseIfStopped();
    undo.push(action);
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
    undo.push(() -> DepsFiles.deleteQuietly(path));
    return channel;
  }

  /**
   * Runs a step that the hook must not interleave with, unless the JVM is stopping; what it writes
   * is undone as before.
   *
   * @throws InputException when the JVM is stopping
   */
  synchronized <T> T unlessStopped(Supplier<T> step) {
    refuseIfStopped();
    return step.get();
  }

  /**
   * Runs the step that makes the result final, unless the JVM is stopping; after it, nothing is
   * undone.
   *
   * @throws InputException when the JVM is stopping and the temporary files are gone
   */
  synchronized void commit(Step step) throws IOException {
    refuseIfStopped();
    step.run();
    undo.clear();
  }

  /** Undoes now what is not committed: the operation failed. */
  synchronized void discard() {
    while (!undo.isEmpty()) {
      undo.pop().run();
    }
  }

  private void refuseIfStopped() {
    if (stopped) {
      throw new InputException("stopped while it was written: the JVM is shutting down");
    }
  }

  /** What the hook does: undoes what is not committed, and refuses a later commit. */
  synchronized void stop() {
    stopped = true;
    discard();
  }

  private static boolean register(Thread hook) {
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      return true;
    } catch (IllegalStateException e) {
      return false; // the JVM is shutting down already
    }
  }

  /**
   * Undoes what was not committed (the operation failed or returned early), then withdraws the
   * hook.
   */
  @Override
  public void close() {
    discard();
    if (registered) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down: the hook runs, and deletes only what is still uncommitted
      }
    }
  }
}
