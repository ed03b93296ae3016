package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Copies a stream into a new file while computing its digests, reading each byte once. */
final class HashingCopy {
  private HashingCopy() {}

  /** The source held more bytes than allowed. */
  static final class LimitExceeded extends InputException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
      super(message);
    }
  }

  /**
   * The result: the size, and each digest as lowercase hex.
   *
   * @param size bytes written
   * @param hex digest by JCA algorithm name ({@code SHA-256}, {@code SHA-512}, {@code SHA-1})
   */
  record Result(long size, Map<String, String> hex) {
    String sha256() {
      return hex.get("SHA-256");
    }
  }

  /**
   * Writes {@code in} to {@code target} (which must not exist) and digests it with SHA-256 and the
   * {@code extra} digests (which may already hold a prefix, as a Git blob id does).
   *
   * @param limit the most bytes accepted; more is an error (a source that does not end)
   * @throws InputException when reading or writing fails or the limit is passed
   */
  static Result copy(InputStream in, Path target, long limit, String what, MessageDigest... extra) {
    Map<String, MessageDigest> digests = new LinkedHashMap<>();
    digests.put("SHA-256", DepsFiles.digest("SHA-256"));
    for (MessageDigest digest : extra) {
      digests.putIfAbsent(digest.getAlgorithm(), digest);
    }
    long size = 0;
    try {
      Files.createDirectories(target.getParent());
      try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
        byte[] buffer = new byte[1 << 16];
        int read;
        while ((read = in.read(buffer)) >= 0) {
          size += read;
          if (size > limit) {
            throw new LimitExceeded(what + " is larger than the limit of " + limit + " bytes");
          }
          for (MessageDigest digest : digests.values()) {
            digest.update(buffer, 0, read);
          }
          out.write(buffer, 0, read);
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot copy " + what + " to " + target + ": " + e.getMessage(), e);
    }
    Map<String, String> hex = new LinkedHashMap<>();
    digests.forEach((name, digest) -> hex.put(name, HexFormat.of().formatHex(digest.digest())));
    return new Result(size, hex);
  }
}
