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
