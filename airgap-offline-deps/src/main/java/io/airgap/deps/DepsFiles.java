package io.airgap.deps;

import io.airgap.core.digest.HashAlgorithm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.stream.Stream;

/** Small file and digest helpers the module's classes share. */
final class DepsFiles {
  private DepsFiles() {}

  /** The SHA-256 of {@code bytes} as 64 lowercase hex digits. */
  static String sha256(byte[] bytes) {
    return HashAlgorithm.SHA256.hash(bytes).hex();
  }

  /** A new JCA digest; every JDK has SHA-256, SHA-512 and SHA-1. */
  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks " + algorithm, e);
    }
  }

  /** The most a document (spec, lock, index, manifest, part list) may hold: 16 MiB. */
  static final int MAX_DOCUMENT = 16 << 20;

  /**
   * The bytes of a small document, read with a bound whatever size the file reports.
   *
   * @param named whether the caller named the file (a link there is followed, as the user meant
   *     it); a file found inside a store or layout is never read through a link
   * @throws io.airgap.core.FormatException when it holds more than {@link #MAX_DOCUMENT} bytes
   * @throws IOException when it cannot be read
   */
  static byte[] readDocument(Path file, boolean named) throws IOException {
    try (java.io.InputStream in =
        named
            ? Files.newInputStream(file)
            : Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(MAX_DOCUMENT + 1);
      if (bytes.length > MAX_DOCUMENT) {
        throw new io.airgap.core.FormatException(
            file
                + " holds more than "
                + MAX_DOCUMENT
                + " bytes; it is not one of airgap's documents");
      }
      return bytes;
    }
  }

  /**
   * What identifies a file to the operating system (device and inode where the platform says, else
   * its real path), whatever path spelling, link or mount reached it. File locks belong to that
   * identity, so in-process bookkeeping about locks must be keyed by it too.
   *
   * @throws IOException when the file cannot be read
   */
  static Object fileIdentity(Path file) throws IOException {
    Object key = fileKey(file);
    return key != null ? key : file.toRealPath(LinkOption.NOFOLLOW_LINKS);
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(
            file, java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
        .fileKey();
  }

  /**
   * Whether the platform gives {@code file} an identity of its own (device and inode); where it
   * does not (Windows), a file unlinked and a new one made under its name cannot be told apart.
   */
  static boolean hasFileKey(Path file) throws IOException {
    return fileKey(file) != null;
  }

  /** Deletes a file a failed operation left; a leftover is harmless (staging is removed anyway). */
  static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // nothing else to do: the caller's staging directory goes too
    }
  }

  /**
   * Deletes a directory tree, links not followed.
   *
   * @throws IOException when something cannot be deleted
   */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause(); // the walk's own failures (an entry that vanished, one unreadable)
    }
  }

  /** Deletes a directory tree, leaving what cannot be deleted (a staging directory). */
  static void deleteTreeQuietly(Path root) {
    try {
      deleteTree(root);
    } catch (IOException e) {
      // a leftover staging directory is ignored by the store and removed by the next import
    }
  }
}
