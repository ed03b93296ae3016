package io.airgap.deps;

import io.airgap.core.AtomicFiles;
import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies artifacts out of a content store, all or nothing: everything is written into a new
 * directory beside the target, every blob checked against its digest on the way, every file and
 * directory forced to the device, and only then renamed to the target (the parent synced too), so
 * after a failure or a power loss the target is whole or absent.
 */
final class StoreMaterializer {
  private final ContentStore store;

  StoreMaterializer(ContentStore store) {
    this.store = store;
  }

  /**
   * Copies artifacts out as the caller resolved them (blobs are named by their digests, so what was
   * compared with the lock is what is copied, whatever the index says by now) into {@code
   * target/NAME/}, or the one artifact straight into {@code target} when not {@code perName}. All
   * or nothing: everything is written into a new directory beside {@code target} and renamed to it
   * once every blob checked; a failure leaves no {@code target}.
   *
   * @throws InputException when {@code target} exists or cannot be written
   * @throws IntegrityException when a blob is missing or not its digest
   */
  void materializeAll(List<LockedArtifact> artifacts, Path target, boolean perName) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(
          target + " exists; materialize into a directory that does not exist yet");
    }
    Path absolute = target.toAbsolutePath().normalize();
    Path partial =
        absolute.resolveSibling(
            "." + absolute.getFileName() + ".partial-" + Long.toHexString(System.nanoTime()));
    try {
      Files.createDirectories(absolute.getParent());
      Files.createDirectory(partial); // the usual mode, unlike a temporary directory's 0700
    } catch (IOException e) {
      throw new InputException("cannot create " + partial + ": " + e.getMessage(), e);
    }
    try (ExitCleanup cleanup = ExitCleanup.of(partial)) {
      for (LockedArtifact artifact : artifacts) {
        copyOut(artifact, perName ? partial.resolve(artifact.name()) : partial);
      }
      // Every file was forced as it was copied; the directories' entries go too, so after a power
      // loss the target is whole or absent, never a directory of empty files.
      cleanup.commit(
          () -> {
            syncDirectories(partial);
            Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncDirectory(absolute.getParent());
          });
    } catch (IOException e) {
      // Closing the cleanup has removed the partial copy already.
      throw new InputException(
          "cannot move " + partial + " to " + target + ": " + e.getMessage(), e);
    }
  }

  private void copyOut(LockedArtifact artifact, Path target) {
    String name = artifact.name();
    for (LockedFile file : artifact.files()) {
      Path blob = store.blob(file.sha256());
      if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
        throw new IntegrityException(
            "content store "
                + store.root()
                + " lacks blob "
                + file.sha256()
                + " of "
                + name
                + "/"
                + file.path());
      }
      Path copy = target.resolve(file.path());
      try (InputStream in = Files.newInputStream(blob, LinkOption.NOFOLLOW_LINKS)) {
        HashingCopy.Result copied = HashingCopy.copy(in, copy, file.size(), blob.toString());
        if (!copied.sha256().equals(file.sha256()) || copied.size() != file.size()) {
          throw damagedBlob(blob);
        }
        try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
      } catch (HashingCopy.LimitExceeded e) {
        throw damagedBlob(blob); // larger than recorded: damage, not an input error
      } catch (IOException e) {
        throw new InputException("cannot copy " + blob + " to " + copy + ": " + e.getMessage(), e);
      }
      if (artifact.kind() == ArtifactKind.NATIVE_LIBRARIES) {
        markExecutable(target.resolve(file.path()));
      }
    }
  }

  private static IntegrityException damagedBlob(Path blob) {
    return new IntegrityException(
        "blob " + blob + " is not its digest; the store is damaged (run airgap store verify)");
  }

  /** Forces the entries of every directory under {@code top}, {@code top} included. */
  private static void syncDirectories(Path top) throws IOException {
    try (Stream<Path> walk = Files.walk(top)) {
      for (Path directory :
          walk.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
        AtomicFiles.syncDirectory(directory);
      }
    }
  }

  /**
   * Native libraries come out {@code rwxr-xr-x}, as installers leave shared libraries, so the
   * inference module's check of {@code onnxruntime.native.path} accepts them.
   */
  private static void markExecutable(Path library) {
    if (!library.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try {
      Files.setPosixFilePermissions(library, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new InputException(
          "cannot make native library " + library + " executable: " + e.getMessage(), e);
    }
  }
}
