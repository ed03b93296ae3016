package io.airgap.core.manifest;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists the regular files of a model directory (or a single model file) deterministically.
 *
 * <p>Only regular files are listed, under POSIX relative names, sorted by Unicode code point.
 * Ignored names are exact relative paths; an ignored directory excludes its whole subtree. Symbolic
 * links are refused unless allowed; an allowed link must resolve inside the model and a directory
 * cycle through links is an error. Sockets, FIFOs and devices are errors. Stateless and
 * thread-safe.
 */
public final class ModelFiles {
  /** The resource name OMS gives the only file of a single-file model. */
  public static final String SINGLE_FILE_NAME = ".";

  private ModelFiles() {}

  /**
   * Lists a model's files.
   *
   * @param model a model directory or a single file
   * @param ignored relative names to leave out (files, or directories with their subtrees)
   * @param allowSymlinks whether symbolic links that stay inside the model are followed
   * @throws InputException naming the path that cannot be listed
   */
  public static List<ModelFile> list(Path model, Set<String> ignored, boolean allowSymlinks) {
    // The model path itself is the caller's choice, so a link there is followed.
    BasicFileAttributes attributes = attributes(model, "", true);
    if (!attributes.isDirectory()) {
      requireRegular(attributes, model.toString());
      return List.of(new ModelFile(SINGLE_FILE_NAME, model, attributes.size()));
    }
    Walk walk = new Walk(realPath(model), ignored, allowSymlinks);
    walk.directory(model, "");
    walk.files.sort(Comparator.comparing(ModelFile::name, ResourceNames.CODE_POINT_ORDER));
    return List.copyOf(walk.files);
  }

  /**
   * The name of {@code path} relative to a model directory, with {@code /} separators, or empty
   * when the path lies outside it (or is the directory itself). Both are made absolute and
   * normalized first; links are not resolved.
   */
  public static java.util.Optional<String> relativeName(Path model, Path path) {
    Path root = model.toAbsolutePath().normalize();
    Path target = path.toAbsolutePath().normalize();
    if (!target.startsWith(root) || target.equals(root)) {
      return java.util.Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    root.relativize(target).forEach(part -> parts.add(part.toString()));
    return java.util.Optional.of(String.join("/", parts));
  }

  /**
   * Finds the file a manifest names, without listing the directory: the model path itself for a
   * single-file model ({@code "."}), else the named file. Every path component is checked so that
   * no link leads outside the model (and none is followed unless allowed).
   *
   * @return the file, or empty when nothing, or something other than a regular file, is there
   * @throws InputException when a link is met and not allowed, or leads outside the model
   */
  public static java.util.Optional<ModelFile> find(Path model, String name, boolean allowSymlinks) {
    if (name.equals(SINGLE_FILE_NAME)) {
      BasicFileAttributes attributes = attributesIfPresent(model, true);
      return attributes != null && attributes.isRegularFile()
          ? java.util.Optional.of(new ModelFile(name, model, attributes.size()))
          : java.util.Optional.empty();
    }
    Path root = realPath(model);
    Path current = model;
    String relative = "";
    BasicFileAttributes attributes = null;
    for (String part : name.split("/")) {
      if (attributes != null && !attributes.isDirectory()) {
        return java.util.Optional.empty();
      }
      current = current.resolve(part);
      relative = relative.isEmpty() ? part : relative + "/" + part;
      attributes = attributesIfPresent(current, false);
      if (attributes == null) {
        return java.util.Optional.empty();
      }
      if (attributes.isSymbolicLink()) {
        attributes = new Walk(root, Set.of(), allowSymlinks).followLink(current, relative);
      }
    }
    return attributes.isRegularFile()
        ? java.util.Optional.of(new ModelFile(name, current, attributes.size()))
        : java.util.Optional.empty();
  }

  private static BasicFileAttributes attributesIfPresent(Path path, boolean follow) {
    try {
      LinkOption[] options =
          follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
      return Files.readAttributes(path, BasicFileAttributes.class, options);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static final class Walk {
    private final Path root;
    private final Set<String> ignored;
    private final boolean allowSymlinks;
    private final Set<Object> openDirectories = new HashSet<>();
    private final List<ModelFile> files = new ArrayList<>();

    Walk(Path root, Set<String> ignored, boolean allowSymlinks) {
      this.root = root;
      this.ignored = ignored;
      this.allowSymlinks = allowSymlinks;
    }

    void directory(Path directory, String prefix) {
      BasicFileAttributes self = attributes(directory, prefix, true);
      Object key = self.fileKey() != null ? self.fileKey() : realPath(directory);
      if (!openDirectories.add(key)) {
        throw new InputException(
            "symbolic link cycle: '" + prefix + "' leads back to a directory above it");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          String relative = prefix.isEmpty() ? name : prefix + "/" + name;
          if (!ignored.contains(relative)) {
            entry(entry, relative);
          }
        }
      } catch (IOException e) {
        throw new InputException("cannot list directory " + directory + ": " + e.getMessage(), e);
      } finally {
        openDirectories.remove(key);
      }
    }

    private void entry(Path entry, String relative) {
      BasicFileAttributes attributes = attributes(entry, relative, false);
      if (attributes.isSymbolicLink()) {
        attributes = followLink(entry, relative);
      }
      if (attributes.isDirectory()) {
        directory(entry, relative);
        return;
      }
      requireRegular(attributes, relative);
      try {
        ResourceNames.check(relative, "model " + root);
      } catch (AirgapException e) {
        throw new InputException(e.getMessage());
      }
      files.add(new ModelFile(relative, entry, attributes.size()));
    }

    private BasicFileAttributes followLink(Path link, String relative) {
      if (!allowSymlinks) {
        throw new InputException(
            "'"
                + relative
                + "' is a symbolic link; links are refused unless allowed"
                + " (allow_symlinks, --allow-symlinks)");
      }
      Path target = realPath(link);
      if (!target.startsWith(root)) {
        throw new InputException(
            "symbolic link '" + relative + "' points outside the model, to " + target);
      }
      return attributes(target, relative, true);
    }
  }

  private static void requireRegular(BasicFileAttributes attributes, String where) {
    if (!attributes.isRegularFile()) {
      throw new InputException(
          "'" + where + "' is not a regular file or directory (a socket, FIFO or device)");
    }
  }

  private static BasicFileAttributes attributes(Path path, String where, boolean follow) {
    try {
      LinkOption[] options =
          follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
      return Files.readAttributes(path, BasicFileAttributes.class, options);
    } catch (NoSuchFileException e) {
      throw new InputException(
          path + " does not exist" + (where.isEmpty() ? "" : " (" + where + ")"), e);
    } catch (IOException e) {
      throw new InputException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (NoSuchFileException e) {
      throw new InputException(path + " is a dangling symbolic link or does not exist", e);
    } catch (IOException e) {
      throw new InputException("cannot resolve " + path + ": " + e.getMessage(), e);
    }
  }
}
