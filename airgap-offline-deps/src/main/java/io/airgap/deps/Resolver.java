package io.airgap.deps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a lockfile against the local content store, with no network at all: every locked
 * artifact must be in the store with exactly the locked kind, source and files (paths, sizes,
 * digests), and every file's blob must be there with its size. Blobs are rehashed when
 * materialized, and by {@link ContentStore#check()}. Stateless.
 */
public final class Resolver {
  private Resolver() {}

  /**
   * Checks that the store holds the lock exactly.
   *
   * @return the stored artifacts, in the lock's order
   * @throws MissingArtifactsException listing every locked artifact the store lacks
   * @throws IntegrityException listing every artifact the store holds differently
   */
  public static List<LockedArtifact> resolve(Lockfile lock, ContentStore store) {
    List<String> missing = new ArrayList<>();
    List<String> differing = new ArrayList<>();
    List<LockedArtifact> resolved = new ArrayList<>();
    for (LockedArtifact wanted : lock.artifacts()) {
      Optional<LockedArtifact> stored = store.artifact(wanted.name());
      if (stored.isEmpty()) {
        missing.add(wanted.name() + ": not in content store " + store.root());
      } else if (!stored.get().equals(wanted)) {
        differing.add(wanted.name() + ": " + difference(wanted, stored.get()));
      } else {
        List<String> blobs = blobProblems(wanted, store);
        if (blobs.isEmpty()) {
          resolved.add(stored.get());
        } else {
          differing.add(wanted.name() + ": " + String.join(", ", blobs));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingArtifactsException(missing);
    }
    if (!differing.isEmpty()) {
      throw new IntegrityException(
          "the content store differs from the lock: " + String.join("; ", differing));
    }
    return resolved;
  }

  /**
   * Resolves, then copies each artifact's files, as resolved, out of the store under {@code
   * target/NAME/}, checking every blob on the way. {@code target} must not exist; it appears
   * complete or not at all.
   *
   * @throws io.airgap.core.InputException when {@code target} exists
   */
  public static List<LockedArtifact> materialize(Lockfile lock, ContentStore store, Path target) {
    List<LockedArtifact> resolved = resolve(lock, store);
    store.materializeAll(resolved, target, true);
    return resolved;
  }

  /** Each file whose blob is missing, not a regular file, or of another size than locked. */
  private static List<String> blobProblems(LockedArtifact artifact, ContentStore store) {
    List<String> problems = new ArrayList<>();
    for (LockedFile file : artifact.files()) {
      Path blob = store.blob(file.sha256());
      try {
        java.nio.file.attribute.BasicFileAttributes attributes =
            java.nio.file.Files.readAttributes(
                blob,
                java.nio.file.attribute.BasicFileAttributes.class,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
          problems.add("blob of " + file.path() + " is not a regular file");
        } else if (attributes.size() != file.size()) {
          problems.add(
              "blob of "
                  + file.path()
                  + " holds "
                  + attributes.size()
                  + " bytes, locked "
                  + file.size());
        }
      } catch (java.io.IOException e) {
        problems.add("blob of " + file.path() + " is missing");
      }
    }
    return problems;
  }

  private static String difference(LockedArtifact wanted, LockedArtifact stored) {
    if (wanted.kind() != stored.kind()) {
      return "kind " + stored.kind().label() + ", locked " + wanted.kind().label();
    }
    if (!wanted.source().equals(stored.source())) {
      return "source " + stored.source() + ", locked " + wanted.source();
    }
    List<String> notes = new ArrayList<>();
    for (LockedFile file : wanted.files()) {
      Optional<LockedFile> other =
          stored.files().stream().filter(f -> f.path().equals(file.path())).findFirst();
      if (other.isEmpty()) {
        notes.add("missing " + file.path());
      } else if (!other.get().equals(file)) {
        notes.add("different " + file.path());
      }
    }
    for (LockedFile file : stored.files()) {
      if (wanted.files().stream().noneMatch(f -> f.path().equals(file.path()))) {
        notes.add("extra " + file.path());
      }
    }
    return String.join(", ", notes);
  }
}
