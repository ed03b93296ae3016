package io.airgap.core.internal;

import io.airgap.core.InputException;
import io.airgap.core.manifest.ModelFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the regular files of a model directory (or a single model file) deterministically.
 *
 * <p>Only regular files are listed, under POSIX relative names, sorted by Unicode code point.
 * Ignored names are exact relative paths; an ignored directory excludes its whole subtree. An entry
 * that may not be part of a model is <em>refused</em>: a symbolic link (unless allowed, and then it
 * must resolve inside the model), a link cycle, a socket, FIFO or device, a name that is not valid,
 * or a name equal to another after Unicode NFC normalisation. Signing treats a refusal as an error;
 * verification reports it as tampering. Stateless and thread-safe.
 */
public final class ModelFiles {
  /** The resource name OMS gives the only file of a single-file model. */
  public static final String SINGLE_FILE_NAME = ".";

  private static final String LINK_REFUSED =
      "is a symbolic link; links are refused unless allowed (allowSymlinks)";

  private ModelFiles() {}

  /**
   * An entry of the model that is not an acceptable file.
   *
   * @param name its relative name
   * @param reason why it is refused
   */
  public record Refusal(String name, String reason) {
    /** {@code 'name' reason}, with control characters escaped. */
    public String message() {
      return "'" + ResourceNames.printable(name) + "' " + reason;
    }
  }

  /**
   * What a model directory holds.
   *
   * @param files the acceptable regular files, sorted by code point
   * @param refused the entries refused, in the order met
   */
  public record Listing(List<ModelFile> files, List<Refusal> refused) {
    /** Copies the lists. */
    public Listing {
      files = List.copyOf(files);
      refused = List.copyOf(refused);
    }
  }

  /**
   * Lists a model's files, refusing any entry that may not be part of a model.
   *
   * @param model a model directory or a single file
   * @param ignored relative names to leave out (files, or directories with their subtrees)
   * @param allowSymlinks whether symbolic links that stay inside the model are followed
   * @throws InputException naming the first refused entry, or the path that cannot be read
   */
  public static List<ModelFile> list(Path model, Set<String> ignored, boolean allowSymlinks) {
    Listing listing = scan(model, ignored, allowSymlinks);
    if (!listing.refused().isEmpty()) {
      throw new InputException(listing.refused().get(0).message());
    }
    return listing.files();
  }

  /**
   * Lists a model's files and, separately, every entry refused, without stopping at the first.
   *
   * @throws InputException when the model itself or a directory cannot be read
   */
  public static Listing scan(Path model, Set<String> ignored, boolean allowSymlinks) {
    // The model path itself is the caller's choice, so a link there is followed.
    BasicFileAttributes attributes = attributes(model, true);
    if (attributes == null) {
      throw new InputException(model + " does not exist");
    }
    Scanner scanner = new Scanner(model, allowSymlinks);
    if (!attributes.isDirectory()) {
      if (!attributes.isRegularFile()) {
        throw new InputException(model + " is not a regular file or directory");
      }
      return new Listing(
          List.of(new ModelFile(SINGLE_FILE_NAME, model, attributes.size())), List.of());
    }
    scanner.directory(model, "", attributes, ignored);
    return new Listing(scanner.uniqueNames(), scanner.refused);
  }

  /**
   * Finds the file a manifest names, without listing the directory: the model path itself for a
   * single-file model ({@code "."}), else the named file. Every path component is checked so that
   * no link leads outside the model, and none is followed unless allowed.
   *
   * @param refused receives the refusal when something other than an acceptable file is there
   * @return the file, or empty when it is absent, a directory, or refused
   */
  public static Optional<ModelFile> find(
      Path model, String name, boolean allowSymlinks, List<Refusal> refused) {
    if (name.equals(SINGLE_FILE_NAME)) {
      BasicFileAttributes attributes = attributes(model, true);
      return attributes != null && attributes.isRegularFile()
          ? Optional.of(new ModelFile(name, model, attributes.size()))
          : Optional.empty();
    }
    Scanner scanner = new Scanner(model, allowSymlinks);
    Path current = model;
    String relative = "";
    BasicFileAttributes attributes = null;
    for (String part : name.split("/")) {
      if (attributes != null && !attributes.isDirectory()) {
        return Optional.empty();
      }
      current = current.resolve(part);
      relative = relative.isEmpty() ? part : relative + "/" + part;
      attributes = scanner.acceptable(current, relative);
      if (attributes == null) {
        refused.addAll(scanner.refused);
        return Optional.empty();
      }
    }
    if (attributes.isRegularFile()) {
      return Optional.of(new ModelFile(name, current, attributes.size()));
    }
    if (!attributes.isDirectory()) {
      refused.add(new Refusal(name, Scanner.SPECIAL));
    }
    return Optional.empty();
  }

  /**
   * The name of {@code path} relative to a model directory, with {@code /} separators, or empty
   * when the path lies outside it (or is the directory itself). Links in the model path and in the
   * file's directory are resolved where they exist, so a signature inside a model reached through a
   * link is still recognised.
   */
  public static Optional<String> relativeName(Path model, Path path) {
    Path root = resolved(model);
    Path parent = path.toAbsolutePath().normalize().getParent();
    if (parent == null) {
      return Optional.empty();
    }
    Path target = resolved(parent).resolve(path.getFileName().toString());
    if (!target.startsWith(root) || target.equals(root)) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    root.relativize(target).forEach(part -> parts.add(part.toString()));
    return Optional.of(String.join("/", parts));
  }

  /** The path with links resolved in its longest existing prefix. */
  private static Path resolved(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null) {
      try {
        return existing.toRealPath().resolve(existing.relativize(absolute));
      } catch (IOException e) {
        existing = existing.getParent();
      }
    }
    return absolute;
  }

  /** One walk over a model: the files found and the entries refused. Not thread-safe. */
  private static final class Scanner {
    static final String SPECIAL = "is not a regular file or directory (a socket, FIFO or device)";

    private final Path root;
    private final boolean allowSymlinks;
    private final Set<Object> openDirectories = new HashSet<>();
    private final List<ModelFile> files = new ArrayList<>();
    private final List<Refusal> refused = new ArrayList<>();

    Scanner(Path model, boolean allowSymlinks) {
      this.root = resolved(model);
      this.allowSymlinks = allowSymlinks;
    }

    void directory(Path directory, String prefix, BasicFileAttributes self, Set<String> ignored) {
      Object key = self.fileKey() != null ? self.fileKey() : resolved(directory);
      if (!openDirectories.add(key)) {
        refused.add(
            new Refusal(prefix, "is a symbolic link that leads back to a directory above it"));
        return;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          String relative = prefix.isEmpty() ? name : prefix + "/" + name;
          if (!ignored.contains(relative)) {
            entry(entry, relative, ignored);
          }
        }
      } catch (IOException e) {
        throw new InputException("cannot list directory " + directory + ": " + e.getMessage(), e);
      } finally {
        openDirectories.remove(key);
      }
    }

    private void entry(Path entry, String relative, Set<String> ignored) {
      BasicFileAttributes attributes = acceptable(entry, relative);
      if (attributes == null) {
        return;
      }
      if (attributes.isDirectory()) {
        directory(entry, relative, attributes, ignored);
      } else if (!attributes.isRegularFile()) {
        refused.add(new Refusal(relative, SPECIAL));
      } else {
        String problem = ResourceNames.problem(relative);
        if (problem != null) {
          refused.add(new Refusal(relative, "is not a valid model file name: it " + problem));
        } else {
          files.add(new ModelFile(relative, entry, attributes.size()));
        }
      }
    }

    /**
     * The attributes of an entry, following an allowed link that stays inside the model; null (with
     * a refusal recorded, unless the entry is simply absent) otherwise.
     */
    BasicFileAttributes acceptable(Path entry, String relative) {
      BasicFileAttributes attributes = attributes(entry, false);
      if (attributes == null || !attributes.isSymbolicLink()) {
        return attributes;
      }
      if (!allowSymlinks) {
        refused.add(new Refusal(relative, LINK_REFUSED));
        return null;
      }
      Path target;
      try {
        target = entry.toRealPath();
      } catch (IOException e) {
        refused.add(new Refusal(relative, "is a symbolic link whose target does not exist"));
        return null;
      }
      if (!target.startsWith(root)) {
        refused.add(
            new Refusal(
                relative, "is a symbolic link that points outside the model, to " + target));
        return null;
      }
      return attributes(target, true);
    }

    /** The files sorted by code point, refusing any whose NFC name repeats an earlier one. */
    List<ModelFile> uniqueNames() {
      files.sort(Comparator.comparing(ModelFile::name, ResourceNames.CODE_POINT_ORDER));
      Map<String, String> byNormalized = new HashMap<>();
      List<ModelFile> unique = new ArrayList<>(files.size());
      for (ModelFile file : files) {
        String first = byNormalized.putIfAbsent(ResourceNames.normalize(file.name()), file.name());
        if (first == null) {
          unique.add(file);
        } else {
          refused.add(
              new Refusal(
                  file.name(),
                  "has the same name as '"
                      + ResourceNames.printable(first)
                      + "' after Unicode NFC normalisation"));
        }
      }
      return unique;
    }
  }

  /** The attributes of a path, or null when it does not exist. */
  private static BasicFileAttributes attributes(Path path, boolean follow) {
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
}
