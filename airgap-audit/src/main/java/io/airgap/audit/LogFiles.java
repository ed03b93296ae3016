package io.airgap.audit;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Writes the files of one commit: each to a temporary name, then renamed into place, so no file is
 * ever seen half-written; in durable mode every file and every directory touched is fsynced before
 * the commit counts. Not thread-safe; one per commit.
 */
final class LogFiles {
  private final boolean durable;
  private final Set<Path> directories = new LinkedHashSet<>();

  LogFiles(boolean durable) {
    this.durable = durable;
  }

  void write(Path target, byte[] bytes) {
    Path directory = target.getParent();
    try {
      Files.createDirectories(directory);
      Path temporary = directory.resolve("." + target.getFileName() + ".tmp");
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
        if (durable) {
          channel.force(true);
        }
      }
      Files.move(
          temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      directories.add(directory);
    } catch (IOException e) {
      throw new InputException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Fsyncs every directory a rename touched (durable mode only). */
  void syncDirectories() {
    if (!durable) {
      return;
    }
    for (Path directory : directories) {
      try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
        channel.force(true);
      } catch (IOException e) {
        throw new InputException("cannot sync directory " + directory + ": " + e.getMessage(), e);
      }
    }
    directories.clear();
  }
}
