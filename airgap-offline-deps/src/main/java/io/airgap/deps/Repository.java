package io.airgap.deps;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A place artifacts can be fetched from: a directory mirror, a Maven repository, a Hugging Face
 * cache, an OCI registry. Each verifies what it returns against what the place itself publishes
 * (side checksums, content-addressed names) and contacts nothing but the location it was configured
 * with. Implementations must be thread-safe.
 */
public interface Repository {
  /** Where this repository is, for messages: for example {@code maven repository file:/srv/m2}. */
  String describe();

  /** Whether this repository serves sources of that type ({@code maven}, {@code directory}...). */
  boolean serves(ArtifactSource source);

  /**
   * Fetches an artifact's files into {@code target} (an empty directory), hashing each file as it
   * is written.
   *
   * @return the files written, with sizes and SHA-256, or empty when this repository does not have
   *     the artifact
   * @throws io.airgap.core.AirgapException when the repository has it but what it returns does not
   *     verify (a side checksum that disagrees, a blob whose name is not its digest), or it cannot
   *     be read
   */
  Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target);

  /**
   * Fetches as {@link #fetch(String, ArtifactSource, Path)} an artifact a lock already records
   * ({@code locked}, its files then), reading no file beyond the size recorded for it where this
   * repository can tell which file is which: a mirror that now serves something else, however
   * large, is stopped at the locked size. The default reads as {@code fetch} does.
   */
  default Optional<List<LockedFile>> fetchLocked(
      String name, ArtifactSource source, Path target, List<LockedFile> locked) {
    return fetch(name, source, target);
  }
}
