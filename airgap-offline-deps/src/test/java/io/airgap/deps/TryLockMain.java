package io.airgap.deps;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A child process that says whether a file's lock is {@code held} by someone or {@code free}. */
public final class TryLockMain {
  private TryLockMain() {}

  /** Arguments: FILE. */
  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
      System.out.println(channel.tryLock() == null ? "held" : "free");
    }
  }
}
