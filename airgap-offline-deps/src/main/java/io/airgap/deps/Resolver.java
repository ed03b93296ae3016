package io.airgap.deps;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Resolves a lockfile against the local content store, with no network at all: every locked
 * artifact must be in the store with exactly the locked kind, source and files (paths, sizes,
 * digests). Stateless.
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
        resolved.add(stored.get());
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
   * Resolves, then copies each artifact's files out of the store under {@code target/NAME/},
   * checking every blob on the way.
   */
  public static List<LockedArtifact> materialize(Lockfile lock, ContentStore store, Path target) {
    List<LockedArtifact> resolved = resolve(lock, store);
    for (LockedArtifact artifact : resolved) {
      store.materialize(artifact.name(), target.resolve(artifact.name()));
    }
    return resolved;
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
