package io.airgap.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so that nothing half-written is ever visible under the final name: a temporary file
 * in the same directory, fsync, rename, fsync of the directory. airgap writes every signature,
 * lockfile, policy, proof and profile this way; hosts saving what the SDK returns (a signed
 * policy's bytes, an exported proof, a drift profile) can do the same. A crash leaves either the
 * old file or the new one, and at worst a temporary file beside it. Thread-safe: each call uses its
 * own temporary file.
 */
public final class AtomicFiles {
  /** Requested for ordinary files; the umask takes away what the site does not grant. */
  private static final Set<PosixFilePermission> ORDINARY =
      PosixFilePermissions.fromString("rw-rw-rw-");

  private AtomicFiles() {}

  /**
   * Writes {@code bytes} to {@code target} atomically, replacing any existing file. The file gets
   * the permissions any new file gets here (read and write for all, less the process umask), not
   * the owner-only mode of a temporary file: a signature or lockfile one user writes is one another
   * user must be able to read.
   */
  public static void write(Path target, byte[] bytes) {
    write(target, bytes, ORDINARY, true);
  }

  /**
   * Writes {@code bytes} to {@code target} atomically with the given POSIX permissions (where the
   * file system has them), from the moment the file is created; {@code null} gives an ordinary
   * file's mode, as {@link #write(Path, byte[])}.
   *
   * @param replace whether an existing {@code target} may be replaced
   */
  public static void write(
      Path target, byte[] bytes, Set<PosixFilePermission> permissions, boolean replace) {
    Path absolute = target.toAbsolutePath();
    Path directory = absolute.getParent();
    if (!replace && Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(target + " already exists; refusing to overwrite it");
    }
    Path temporary = null;
    try {
      temporary =
          createTemporary(
              directory,
              absolute.getFileName().toString(),
              permissions == null ? ORDINARY : permissions);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temporary, absolute, replace);
      temporary = null;
      syncDirectory(directory);
    } catch (FileAlreadyExistsException e) {
      throw new InputException(target + " already exists; refusing to overwrite it", e);
    } catch (IOException e) {
      throw new InputException("cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  private static Path createTemporary(
      Path directory, String name, Set<PosixFilePermission> permissions) throws IOException {
    String prefix = "." + name + ".";
    if (permissions != null && supportsPosix(directory)) {
      return Files.createTempFile(
          directory, prefix, ".tmp", PosixFilePermissions.asFileAttribute(permissions));
    }
    return Files.createTempFile(directory, prefix, ".tmp");
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    if (!replace) {
      // A hard link fails atomically when the target exists; then the temporary goes away.
      Files.createLink(to, from);
      Files.delete(from);
      return;
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system cannot rename atomically in " + to.getParent(), e);
    }
  }

  /** Flushes a directory's entries so a rename survives a crash (a no-op where unsupported). */
  public static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename is still atomic there.
    }
  }

  private static boolean supportsPosix(Path directory) {
    return directory.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void deleteQuietly(Path path) {
    if (path != null) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        // Best effort: the temporary name starts with a dot and ends in .tmp.
      }
    }
  }
}
