package io.airgap.deps;

import io.airgap.core.FormatException;
import io.airgap.core.internal.ResourceNames;

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
    String windows = windowsProblem(path);
    if (windows != null) {
      throw new FormatException(
          "locked file: file name '" + ResourceNames.printable(path) + "' " + windows);
    }
    if (size < 0) {
      throw new FormatException("locked file " + path + ": negative size " + size);
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new FormatException(
          "locked file " + path + ": sha256 must be 64 lowercase hex digits, not '" + sha256 + "'");
    }
  }

  /**
   * Why a path cannot be written as itself on Windows, or null. Locked files are written out on the
   * isolated side, which may run Windows: there {@code D:x} resolves onto another drive, {@code
   * name:stream} writes a hidden alternate data stream, {@code NUL} or {@code com1.txt} is a device
   * (the bytes go nowhere, yet the copy "verified" as it was hashed on the way), and a trailing dot
   * or space is dropped, so two names become one file.
   */
  private static String windowsProblem(String path) {
    if (path.indexOf(':') >= 0) {
      return "contains ':' (a drive or stream name on Windows)";
    }
    for (String segment : path.split("/")) {
      if (ResourceNames.isWindowsDevice(segment)) {
        return "has a segment '" + segment + "' that names a device on Windows";
      }
      if (segment.endsWith(".") || segment.endsWith(" ")) {
        return "has a segment ending in a dot or space, which Windows drops";
      }
    }
    return null;
  }
}
