package io.airgap.deps;

import io.airgap.core.FormatException;
import io.airgap.core.manifest.ResourceNames;

/**
 * One file of a locked artifact.
 *
 * @param path the relative path inside the artifact ({@code /}-separated, no {@code ..}, NFC)
 * @param size its size in bytes
 * @param sha256 its SHA-256 as 64 lowercase hex digits
 */
public record LockedFile(String path, long size, String sha256) {
  /**
   * Checks the path, the size and the digest's form.
   *
   * @throws FormatException saying which rule is broken
   */
  public LockedFile {
    ResourceNames.check(path, "locked file");
    if (path.indexOf(':') >= 0) {
      // Locked files are written out on the isolated side, which may run Windows: there "D:x"
      // resolves onto another drive and "name:stream" writes a hidden alternate data stream.
      throw new FormatException(
          "locked file: file name '"
              + ResourceNames.printable(path)
              + "' contains ':' (a drive or stream name on Windows)");
    }
    if (size < 0) {
      throw new FormatException("locked file " + path + ": negative size " + size);
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new FormatException(
          "locked file " + path + ": sha256 must be 64 lowercase hex digits, not '" + sha256 + "'");
    }
  }
}
