package io.airgap.deps;

import io.airgap.core.FormatException;
import io.airgap.core.internal.ResourceNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One artifact of a lockfile: its name, kind, source, and every file with its size and digest.
 *
 * @param name a unique name: letters, digits, {@code . _ - /}, not starting with {@code /} or
 *     {@code .}
 * @param kind what it is for
 * @param source where it comes from
 * @param files its files, sorted by path (code point order)
 */
public record LockedArtifact(
    String name, ArtifactKind kind, ArtifactSource source, List<LockedFile> files) {
  /**
   * Checks the name and that no two files share a path (after NFC normalisation); sorts the files.
   *
   * @throws FormatException naming the artifact and the file at fault
   */
  public LockedArtifact {
    // The name becomes a directory when files are fetched, bundled or materialized: whatever
    // document it came from (spec, lockfile, signed manifest), it may not climb out of it.
    checkName(name);
    if (files.isEmpty()) {
      throw new FormatException("artifact " + name + " has no file");
    }
    Set<String> seen = new HashSet<>();
    for (LockedFile file : files) {
      if (!seen.add(ResourceNames.normalize(file.path()))) {
        throw new FormatException("artifact " + name + " lists file " + file.path() + " twice");
      }
    }
    for (String path : seen) {
      String parent = enclosing(path, seen);
      if (parent != null) {
        throw new FormatException(
            "artifact " + name + " lists file " + parent + " and file " + path + " under it");
      }
    }
    List<LockedFile> sorted = new ArrayList<>(files);
    sorted.sort((a, b) -> ResourceNames.CODE_POINT_ORDER.compare(a.path(), b.path()));
    files = List.copyOf(sorted);
  }

  /**
   * Checks an artifact name: letters, digits, '.', '_', '-' and single '/' separators, no segment
   * starting with '.' (so no {@code ..}).
   */
  static void checkName(String name) {
    if (name == null
        || !name.matches("[A-Za-z0-9_][A-Za-z0-9_.\\-/]*")
        || name.contains("//")
        || name.endsWith("/")
        || name.contains("/.")) {
      throw new FormatException(
          "artifact name '"
              + name
              + "' must be letters, digits, '.', '_', '-' and single '/' separators, with no"
              + " part starting with '.'");
    }
  }

  /**
   * Checks that artifact names can share one directory: none twice, none differing from another
   * only in case (one directory on macOS or Windows), none inside another ({@code fraud} and {@code
   * fraud/tokenizer} would mix their files).
   *
   * @param document "the lockfile" or "the spec", for messages
   * @throws FormatException naming the names at fault
   */
  static void checkDistinct(List<String> names, String document) {
    Set<String> exact = new HashSet<>();
    java.util.Map<String, String> folded = new java.util.HashMap<>();
    for (String name : names) {
      if (!exact.add(name)) {
        throw new FormatException(document + " names artifact " + name + " twice");
      }
      String other = folded.putIfAbsent(name.toLowerCase(java.util.Locale.ROOT), name);
      if (other != null) {
        throw new FormatException(
            document
                + " names artifacts "
                + other
                + " and "
                + name
                + ", which differ only in case (one directory on case-insensitive file systems)");
      }
    }
    for (String name : exact) {
      String parent = enclosing(name, exact);
      if (parent != null) {
        throw new FormatException(
            document
                + " names artifact "
                + name
                + " inside artifact "
                + parent
                + ": their files would mix in one directory");
      }
    }
  }

  /** The shortest of {@code all} that is a directory above {@code path}, or null. */
  private static String enclosing(String path, Set<String> all) {
    for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      String parent = path.substring(0, slash);
      if (all.contains(parent)) {
        return parent;
      }
    }
    return null;
  }

  /** The total size of the files. */
  public long size() {
    return files.stream().mapToLong(LockedFile::size).sum();
  }
}
