package io.airgap.deps;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Removes what an operation is writing if the JVM shuts down before it ends (Ctrl-C or SIGTERM run
 * shutdown hooks), so an interrupted {@code bundle create} does not leave a hidden multi-GB
 * temporary file on a small medium. A SIGKILL runs no hook; the temporary names start with a dot
 * and say what they are. Closing it (the operation ended, done or failed) withdraws the hook.
 */
final class ExitCleanup implements AutoCloseable {
  private final List<Path> paths = new CopyOnWriteArrayList<>();
  private final Thread hook;
  private final boolean registered;

  private ExitCleanup() {
    hook = new Thread(() -> paths.forEach(DepsFiles::deleteTreeQuietly), "airgap-exit-cleanup");
    registered = register(hook);
  }

  /** Deletes {@code path} (a file or a directory tree) if the JVM exits before {@link #close}. */
  static ExitCleanup of(Path path) {
    ExitCleanup cleanup = new ExitCleanup();
    cleanup.add(path);
    return cleanup;
  }

  /** Deletes {@code path} too. */
  void add(Path path) {
    paths.add(path);
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
        // shutting down: the hook runs, and deletes only what is still there
      }
    }
  }
}
