package io.airgap.audit;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Writes the files of one commit: each to a temporary name, flushed to disk (in durable mode), then
 * renamed into place, so no file is ever seen half-written; then the directories of the renames are
 * flushed. Flushes run in parallel on the given pool, since a commit writes a few dozen files and
 * the device serves concurrent flushes together. Not thread-safe; one per commit.
 */
final class LogFiles {
  private final ExecutorService flushers;
  private final List<Path[]> staged = new ArrayList<>();
  private final Set<Path> createdIn = new LinkedHashSet<>();

  LogFiles(ExecutorService flushers) {
    this.flushers = flushers;
  }

  /** The name a file is staged under before it is renamed into place. */
  static String temporaryName(String name) {
    return "." + name + ".tmp";
  }

  /** Whether a file name is one {@link #temporaryName} gives. */
  static boolean isTemporaryName(String name) {
    return name.startsWith(".") && name.endsWith(".tmp");
  }

  /** Writes {@code bytes} under a temporary name beside {@code target}. */
  void stage(Path target, byte[] bytes) {
    Path directory = target.getParent();
    Path temporary = directory.resolve(temporaryName(target.getFileName().toString()));
    try {
      createDirectories(directory);
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot write " + target + ": " + e.getMessage(), e);
    }
    staged.add(new Path[] {temporary, target});
  }

  /** Creates missing directories, remembering each parent whose entries changed. */
  private void createDirectories(Path directory) throws IOException {
    Path missing = directory;
    List<Path> chain = new ArrayList<>();
    while (missing != null && !Files.isDirectory(missing)) {
      chain.add(missing);
      missing = missing.getParent();
    }
    if (chain.isEmpty()) {
      return;
    }
    Files.createDirectories(directory);
    for (Path created : chain) {
      createdIn.add(created.getParent());
    }
  }

  /** Flushes every staged file, renames them into place, and flushes their directories. */
  void commit() {
    parallel(staged.stream().map(pair -> pair[0]).toList(), StandardOpenOption.WRITE);
    Set<Path> directories = new LinkedHashSet<>();
    for (Path[] pair : staged) {
      try {
        Files.move(
            pair[0], pair[1], StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new InputException(
            "cannot rename " + pair[0] + " to " + pair[1] + ": " + e.getMessage(), e);
      }
      directories.add(pair[1].getParent());
    }
    staged.clear();
    directories.addAll(createdIn);
    createdIn.clear();
    parallel(List.copyOf(directories), StandardOpenOption.READ);
  }

  /** Flushes one directory's entries (after a rename or a deletion in it). */
  static void flushDirectory(Path directory) {
    flush(directory, StandardOpenOption.READ);
  }

  private void parallel(List<Path> paths, StandardOpenOption mode) {
    List<CompletableFuture<Void>> flushes = new ArrayList<>(paths.size());
    for (Path path : paths) {
      flushes.add(CompletableFuture.runAsync(() -> flush(path, mode), flushers));
    }
    try {
      CompletableFuture.allOf(flushes.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }

  private static void flush(Path path, StandardOpenOption mode) {
    try (FileChannel channel = FileChannel.open(path, mode)) {
      // Data and the size needed to read it back; the rename is made durable by the directory
      // flush.
      channel.force(mode == StandardOpenOption.READ);
    } catch (IOException e) {
      throw new InputException("cannot flush " + path + " to disk: " + e.getMessage(), e);
    }
  }
}
