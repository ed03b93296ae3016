package io.airgap.audit;

import io.airgap.core.InputException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Lists the files under a log's {@code tile/} directory and what each is. Stateless. */
final class TileFiles {
  private TileFiles() {}

  /**
   * One file under {@code tile/}.
   *
   * @param path the file
   * @param name what its path says it is, or null for a file that is no tile or bundle
   * @param regular whether it was a regular file when listed (not a link, FIFO or device)
   */
  record Listed(Path path, TileLayout.Name name, boolean regular) {}

  /**
   * Every file under {@code tile/}. A file that disappears while the tree is walked (a writer
   * renaming its temporary into place) is left out: it is no longer there.
   */
  static List<Listed> list(Path root) {
    Path tiles = root.resolve("tile");
    if (!Files.isDirectory(tiles)) {
      return List.of();
    }
    List<Listed> listed = new ArrayList<>();
    try {
      Files.walkFileTree(
          tiles,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) {
              String relative = tiles.relativize(path).toString().replace('\\', '/');
              // A link, FIFO or device is never a tile: listed without a name, it is refused.
              listed.add(
                  new Listed(
                      path,
                      attributes.isRegularFile() ? TileLayout.parse(relative) : null,
                      attributes.isRegularFile()));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path path, IOException e) throws IOException {
              if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new InputException("cannot list " + tiles + ": " + e.getMessage(), e);
    }
    return listed;
  }

  /** Whether a file belongs to a tree of {@code size}: it exists there, at most as wide. */
  static boolean within(TileLayout.Name name, long size) {
    int level = name.isBundle() ? 0 : name.level();
    int width = TileLayout.width(level, name.n(), size);
    return name.width() <= width;
  }

  /**
   * Deletes what an interrupted commit left beyond the checkpoint, and temporary files, so the
   * directory again holds exactly a log of {@code size} entries.
   */
  static void pruneBeyond(Path root, long size) {
    java.util.Set<Path> touched = new java.util.LinkedHashSet<>();
    for (Listed file : list(root)) {
      if (file.name() == null
          ? LogFiles.isTemporaryName(file.path().getFileName().toString())
          : !within(file.name(), size)) {
        try {
          Files.deleteIfExists(file.path());
          touched.add(file.path().getParent());
        } catch (IOException e) {
          throw new InputException("cannot remove " + file.path() + ": " + e.getMessage(), e);
        }
      }
    }
    // A deleted torn-tail file must not come back after a power loss and join the log later.
    touched.forEach(LogFiles::flushDirectory);
  }
}
