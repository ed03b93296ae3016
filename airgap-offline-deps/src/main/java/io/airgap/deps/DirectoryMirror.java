package io.airgap.deps;

import io.airgap.core.InputException;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.manifest.ModelFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A local directory holding artifacts under relative paths (a {@code directory} source's {@code
 * path}): one file, or a directory whose files are listed as model files are (links, device files
 * and other special entries refused). Thread-safe.
 */
public final class DirectoryMirror implements Repository {
  private final Path root;

  /** A mirror rooted at {@code root}. */
  public DirectoryMirror(Path root) {
    this.root = root;
  }

  @Override
  public String describe() {
    return "directory mirror " + root;
  }

  @Override
  public boolean serves(ArtifactSource source) {
    return source.type().equals("directory");
  }

  @Override
  public Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target) {
    Path location = root.resolve(source.coordinates().get("path"));
    if (!Files.exists(location, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    // Links are refused inside the mirror as inside a model: on the source path too, at any
    // depth below the mirror's root (the root itself is the caller's choice).
    for (Path p = location; p != null && !p.equals(root) && p.startsWith(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new InputException(
            name + ": " + p + " is a symbolic link; a directory source takes no links");
      }
    }
    List<LockedFile> files = new ArrayList<>();
    if (Files.isRegularFile(location, LinkOption.NOFOLLOW_LINKS)) {
      String fileName = location.getFileName().toString();
      files.add(copy(location, fileName, target));
      return Optional.of(files);
    }
    for (ModelFile file : ModelFiles.list(location, Set.of(), false)) {
      files.add(copy(file.path(), file.name(), target));
    }
    return Optional.of(files);
  }

  private static LockedFile copy(Path file, String relative, Path target) {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      HashingCopy.Result copied =
          HashingCopy.copy(in, target.resolve(relative), Long.MAX_VALUE, file.toString());
      return new LockedFile(relative, copied.size(), copied.sha256());
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
