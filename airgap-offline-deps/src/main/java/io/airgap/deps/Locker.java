package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a {@link DependencySpec} into a {@link Lockfile} on the connected side: each artifact is
 * fetched from the first repository, in the order given, that serves its source type and has it;
 * every file is hashed as it is written. When some artifacts are found nowhere, one error lists
 * every one of them with every place it was looked for. Stateless.
 */
public final class Locker {
  private static final Logger LOG = LoggerFactory.getLogger(Locker.class);

  /**
   * The file that marks a directory as one the locker fills: only in such a directory does it
   * delete what an earlier lock left under an artifact's name.
   */
  static final String SCRATCH_MARKER = ".airgap-deps-files";

  private Locker() {}

  /**
   * Locks a spec.
   *
   * @param scratch a directory for the fetched files (created if absent; the files are left there,
   *     under one directory per artifact, for a bundle to pick up)
   * @throws MissingArtifactsException listing every artifact no repository has
   * @throws IntegrityException when a repository returns a file that does not verify
   */
  public static Lockfile lock(DependencySpec spec, List<Repository> repositories, Path scratch) {
    return lock(spec, repositories, scratch, Map.of());
  }

  /** Locks {@code spec}; artifacts in {@code locked} are fetched as that lock records them. */
  private static Lockfile lock(
      DependencySpec spec,
      List<Repository> repositories,
      Path scratch,
      Map<String, List<LockedFile>> recordedFiles) {
    claim(scratch);
    List<LockedArtifact> locked = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (DependencySpec.Request request : spec.artifacts()) {
      Path target = scratch.resolve(request.name());
      List<String> looked = new ArrayList<>();
      Optional<List<LockedFile>> files = Optional.empty();
      for (Repository repository : repositories) {
        if (!repository.serves(request.source())) {
          continue;
        }
        looked.add(repository.describe());
        clean(target);
        List<LockedFile> recorded = recordedFiles.get(request.name());
        files =
            recorded == null
                ? repository.fetch(request.name(), request.source(), target)
                : repository.fetchLocked(request.name(), request.source(), target, recorded);
        if (files.isPresent() && request.kind() == ArtifactKind.NATIVE_LIBRARIES) {
          files = Optional.of(nativeLibraries(request, files.get(), target));
        }
        if (files.isPresent()) {
          LOG.info(
              "locked {} from {} ({} files)",
              request.name(),
              repository.describe(),
              files.get().size());
          break;
        }
      }
      if (files.isPresent()) {
        locked.add(
            new LockedArtifact(request.name(), request.kind(), request.source(), files.get()));
      } else {
        missing.add(
            request.name()
                + " ("
                + request.source().type()
                + " "
                + request.source().coordinates()
                + "): "
                + (looked.isEmpty()
                    ? "no repository serves " + request.source().type() + " sources"
                    : "looked in " + looked));
      }
    }
    if (!missing.isEmpty()) {
      throw new MissingArtifactsException(missing);
    }
    return new Lockfile(locked);
  }

  /**
   * For a native-libraries artifact fetched as a jar: the libraries of the platforms its source
   * names, extracted in place of the jar.
   */
  private static List<LockedFile> nativeLibraries(
      DependencySpec.Request request, List<LockedFile> fetched, Path target) {
    String platforms = request.source().coordinates().get("platforms");
    if (platforms == null || fetched.size() != 1 || !fetched.get(0).path().endsWith(".jar")) {
      return fetched; // already a directory of libraries (a directory mirror, say)
    }
    Path jar = target.resolve(fetched.get(0).path());
    // A leading '.' keeps it apart from every artifact's directory (no name part starts with one).
    Path extracted = target.resolveSibling("." + target.getFileName() + ".natives");
    clean(extracted);
    List<LockedFile> libraries =
        NativeLibraries.extract(jar, List.of(platforms.split(",")), extracted);
    clean(target);
    try {
      Files.delete(target);
      Files.move(extracted, target);
    } catch (IOException e) {
      throw new InputException(
          "cannot stage the native libraries of " + request.name() + ": " + e.getMessage(), e);
    }
    return libraries;
  }

  /**
   * Fetches every artifact of a lock again (to bundle it, say) into {@code scratch/NAME/}, and
   * checks that each repository returned exactly the locked files.
   *
   * @throws MissingArtifactsException listing every artifact no repository has
   * @throws IntegrityException listing every artifact whose files differ from the lock
   */
  public static void fetch(Lockfile lock, List<Repository> repositories, Path scratch) {
    List<DependencySpec.Request> requests = new ArrayList<>();
    for (LockedArtifact artifact : lock.artifacts()) {
      requests.add(new DependencySpec.Request(artifact.name(), artifact.kind(), artifact.source()));
    }
    Map<String, List<LockedFile>> recorded = new java.util.HashMap<>();
    lock.artifacts().forEach(artifact -> recorded.put(artifact.name(), artifact.files()));
    Lockfile fetched = lock(new DependencySpec(requests), repositories, scratch, recorded);
    List<String> differing = new ArrayList<>();
    for (LockedArtifact artifact : lock.artifacts()) {
      LockedArtifact now = fetched.artifact(artifact.name()).orElseThrow();
      if (!now.files().equals(artifact.files())) {
        differing.add(artifact.name());
      }
    }
    if (!differing.isEmpty()) {
      throw new IntegrityException(
          "the repositories now return other files than the lock records for "
              + differing
              + "; lock again if the change is intended");
    }
  }

  /**
   * Makes sure {@code scratch} is the locker's own: created here, empty, or marked by an earlier
   * lock. A directory holding anything else (the sources themselves, say, with {@code --files .})
   * is refused, since fetching deletes and rewrites one directory per artifact name in it.
   *
   * @throws InputException naming the directory
   */
  static void claim(Path scratch) {
    try {
      Files.createDirectories(scratch);
      Path marker = scratch.resolve(SCRATCH_MARKER);
      if (Files.exists(marker, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (java.util.stream.Stream<Path> entries = Files.list(scratch)) {
        if (entries.findAny().isPresent()) {
          throw new InputException(
              scratch
                  + " holds files that no lock put there; fetched files replace a directory per"
                  + " artifact name in it, so name a new or empty directory");
        }
      }
      Files.writeString(marker, "files fetched by airgap deps lock; rewritten at every lock\n");
    } catch (IOException e) {
      throw new InputException("cannot prepare " + scratch + ": " + e.getMessage(), e);
    }
  }

  private static void clean(Path target) {
    try {
      DepsFiles.deleteTree(target);
      Files.createDirectories(target);
    } catch (IOException e) {
      throw new InputException("cannot prepare " + target + ": " + e.getMessage(), e);
    }
  }
}
