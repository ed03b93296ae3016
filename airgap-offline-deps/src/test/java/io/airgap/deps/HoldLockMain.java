package io.airgap.deps;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A child process that locks a file, says so, and holds the lock until its input closes. */
public final class HoldLockMain {
  private HoldLockMain() {}

  /** Arguments: FILE. */
  public static void main(String[] args) throws Exception {
    try (FileChannel channel =
            FileChannel.open(
                Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var lock = channel.lock()) {
      System.out.println("locked");
      System.out.flush();
      System.in.read();
    }
  }
}
