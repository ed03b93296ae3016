package io.airgap.inference;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.OmsStatement;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ModelFile;
import io.airgap.core.manifest.Resource;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.manifest.ShardName;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private snapshot a model is verified and loaded from: a directory of mode 0700 holding {@code
 * model/} (a copy of every model file, links and special files refused) and {@code signatures/}
 * (copies of the signature files, kept apart so none is part of what is verified). Stateless.
 */
final class ModelSnapshot {
  private static final Logger LOG = LoggerFactory.getLogger(ModelSnapshot.class);

  private ModelSnapshot() {}

  /** A new private directory under {@code workDirectory}. */
  static Path create(Path workDirectory) {
    try {
      Files.createDirectories(workDirectory);
      if (workDirectory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        return Files.createTempDirectory(
            workDirectory,
            "airgap-model-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      return Files.createTempDirectory(workDirectory, "airgap-model-");
    } catch (IOException e) {
      throw new InputException(
          "cannot create a private snapshot directory under "
              + workDirectory
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * What the signatures say about copying: paths every signature leaves out (no need to copy what
   * none of them checks, such as a {@code .git} directory with its links and second copy of the
   * weights), and whether every one allows symbolic links (then their targets' bytes are copied;
   * one signature that refuses links keeps them refused, whatever another, perhaps unverified,
   * signature file says).
   *
   * @param ignored relative names every signature ignores
   * @param followLinks whether links inside the model are copied as their targets' bytes
   */
  record CopyRules(Set<String> ignored, boolean followLinks) {
    /**
     * Copy everything, refuse links: what a signature that cannot be read gets (it fails later).
     */
    static final CopyRules STRICT = new CopyRules(Set.of(), false);
  }

  /**
   * Reads the copy rules from the signature files. They are not verified yet, which is harmless: a
   * file left out that a signature covers fails that signature as missing, and followed links are
   * copied as bytes that are then hashed.
   */
  static CopyRules rules(List<Path> signatureFiles) {
    Set<String> ignored = null;
    boolean followLinks = !signatureFiles.isEmpty();
    for (Path file : signatureFiles) {
      Manifest manifest;
      try {
        manifest =
            OmsStatement.decode(
                BundleCodec.read(file, BundleCodec.DEFAULT_MAX_BYTES).envelope().payload(),
                "signature file " + file);
      } catch (AirgapException e) {
        return CopyRules.STRICT; // verification reports it with the whole story
      }
      Set<String> these = new HashSet<>(manifest.serialization().ignorePaths());
      if (ignored == null) {
        ignored = these;
      } else {
        ignored.retainAll(these); // left out only when no signature checks it
      }
      followLinks &= manifest.serialization().allowSymlinks();
    }
    return new CopyRules(ignored == null ? Set.of() : Set.copyOf(ignored), followLinks);
  }

  /**
   * Copies every file of {@code model} into {@code copy}, but the signature files, and returns
   * their relative names. {@code directory} is what the caller decided {@code model} is and will
   * verify it as: deciding it again here would let a file swapped for a directory in between bring
   * unverified files into the snapshot (a single-file copy refuses anything but a regular file).
   */
  static List<String> copyModel(Path model, boolean directory, Path copy, List<Path> signatureFiles)
      throws IOException {
    return copyModel(model, directory, copy, signatureFiles, CopyRules.STRICT);
  }

  /**
   * Copies as {@link #copyModel(Path, boolean, Path, List)}, leaving out what {@code rules} ignores
   * and copying allowed links as their targets' bytes.
   */
  static List<String> copyModel(
      Path model, boolean directory, Path copy, List<Path> signatureFiles, CopyRules rules)
      throws IOException {
    List<String> names = new ArrayList<>();
    if (!directory) {
      Files.createDirectory(copy);
      copyContent(model, copy.resolve(model.getFileName().toString()));
      names.add(model.getFileName().toString());
      return names;
    }
    Set<String> leftOut = new HashSet<>(rules.ignored());
    for (Path signatureFile : signatureFiles) {
      ModelFiles.relativeName(model, signatureFile).ifPresent(leftOut::add);
    }
    for (ModelFile file : ModelFiles.list(model, leftOut, rules.followLinks())) {
      if (file.name().equals(ModelFiles.SINGLE_FILE_NAME)) {
        throw new InputException(model + " changed from a directory to a file while it was loaded");
      }
      Path target = copy.resolve(file.name());
      Files.createDirectories(target.getParent());
      if (rules.followLinks()) {
        Files.copy(file.path(), target, StandardCopyOption.REPLACE_EXISTING); // a link's bytes
      } else {
        Files.copy(
            file.path(), target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.REPLACE_EXISTING);
      }
      if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new InputException("the snapshot copy of " + file.path() + " is not a regular file");
      }
      names.add(file.name());
    }
    return names;
  }

  /**
   * Deletes from the model copy every file the manifest does not cover and returns the names of
   * those it does, in {@code names}' order.
   */
  static List<String> keepSigned(Path copy, List<String> names, Manifest manifest)
      throws IOException {
    Set<String> signed = new HashSet<>();
    for (Resource resource : manifest.resources()) {
      String name =
          manifest.serialization().method() == SerializationMethod.SHARDS
              ? ShardName.parse(resource.name(), "manifest").path()
              : resource.name();
      signed.add(ResourceNames.normalize(name));
    }
    List<String> kept = new ArrayList<>();
    for (String name : names) {
      if (signed.contains(ResourceNames.normalize(name))) {
        kept.add(name);
      } else {
        Files.delete(copy.resolve(name));
      }
    }
    return kept;
  }

  /** Copies the signature files into {@code snapshot/signatures/}, numbered in order. */
  static List<Path> copySignatures(Path snapshot, List<Path> files) throws IOException {
    Path directory = Files.createDirectory(snapshot.resolve("signatures"));
    List<Path> copies = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      Path copy = directory.resolve(i + "-" + files.get(i).getFileName());
      copyContent(files.get(i), copy);
      copies.add(copy);
    }
    return copies;
  }

  /**
   * Copies the bytes of {@code file}, following a link the caller named (a single-file model or a
   * signature is often a link such as {@code current.onnx}), so the snapshot holds a regular file
   * and never a link back to bytes that could change after verification.
   */
  private static void copyContent(Path file, Path copy) throws IOException {
    Path real = file.toRealPath();
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException(file + " is not a regular file");
    }
    Files.copy(real, copy);
    if (!Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException("the snapshot copy of " + file + " is not a regular file");
    }
  }

  /** Deletes a snapshot; a failure is logged, not thrown (closing must not fail). */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not delete model snapshot {}: {}", root, e.getMessage());
    }
  }
}
