package io.airgap.deps;

import io.airgap.core.InputException;
import io.airgap.core.manifest.ResourceNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Hugging Face hub cache as {@code huggingface-cli download} leaves it: {@code
 * models--ORG--NAME/snapshots/COMMIT/PATH} links to {@code blobs/ETAG}, where the etag of a file
 * stored with Git LFS is its SHA-256 and that of a small file its Git blob SHA-1. Each file is
 * copied from its blob and checked against that name while it is copied: a blob whose content is
 * not its name, a link that leaves the repository's blobs, or a dangling link refuses the artifact.
 * Thread-safe.
 */
public final class HuggingFaceCache implements Repository {
  private final Path root;

  /**
   * A cache rooted at {@code root} (the hub cache, for example {@code ~/.cache/huggingface/hub}).
   */
  public HuggingFaceCache(Path root) {
    this.root = root;
  }

  @Override
  public String describe() {
    return "hugging face cache " + root;
  }

  @Override
  public boolean serves(ArtifactSource source) {
    return source.type().equals("huggingface");
  }

  @Override
  public Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target) {
    String repository = source.coordinates().get("repository");
    Path repo = root.resolve("models--" + repository.replace("/", "--"));
    Path snapshot = repo.resolve("snapshots").resolve(source.coordinates().get("revision"));
    if (!Files.isDirectory(snapshot, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    List<String> wanted = wanted(source, snapshot);
    List<LockedFile> files = new ArrayList<>();
    for (String path : wanted) {
      files.add(copyBlob(repo, snapshot, path, target));
    }
    return Optional.of(files);
  }

  private static List<String> wanted(ArtifactSource source, Path snapshot) {
    String listed = source.coordinates().get("files");
    if (listed != null) {
      return Stream.of(listed.split(",")).map(String::trim).toList();
    }
    try (Stream<Path> entries = Files.walk(snapshot)) {
      return entries
          .filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> snapshot.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
          .sorted(ResourceNames.CODE_POINT_ORDER)
          .toList();
    } catch (IOException e) {
      throw new InputException("cannot list snapshot " + snapshot + ": " + e.getMessage(), e);
    }
  }

  /** Copies one snapshot file from its blob, checking the blob's content against its name. */
  private static LockedFile copyBlob(Path repo, Path snapshot, String path, Path target) {
    Path link = snapshot.resolve(path);
    Path blobs = repo.resolve("blobs").toAbsolutePath().normalize();
    Path blob;
    try {
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        throw new InputException("snapshot " + snapshot + " has no file " + path);
      }
      blob =
          Files.isSymbolicLink(link)
              ? link.getParent().resolve(Files.readSymbolicLink(link)).toAbsolutePath().normalize()
              : null;
    } catch (IOException e) {
      throw new InputException("cannot read the link " + link + ": " + e.getMessage(), e);
    }
    if (blob == null || !blob.getParent().equals(blobs)) {
      throw new IntegrityException(
          link
              + " does not link into "
              + blobs
              + "; a hub cache snapshot holds links to its blobs");
    }
    if (!Files.isRegularFile(blob, LinkOption.NOFOLLOW_LINKS)) {
      throw new IntegrityException(
          link + " is a dangling link: its blob " + blob.getFileName() + " is missing");
    }
    String etag = blob.getFileName().toString();
    boolean lfs = etag.matches("[0-9a-f]{64}");
    if (!lfs && !etag.matches("[0-9a-f]{40}")) {
      throw new IntegrityException(blob + " is not named by a SHA-256 or a Git blob SHA-1");
    }
    HashingCopy.Result copied;
    try (InputStream in = Files.newInputStream(blob, LinkOption.NOFOLLOW_LINKS)) {
      copied = HashingCopy.copy(in, target.resolve(path), Long.MAX_VALUE, blob.toString());
    } catch (IOException e) {
      throw new InputException("cannot read " + blob + ": " + e.getMessage(), e);
    }
    String actual = lfs ? copied.sha256() : gitBlobSha1(target.resolve(path), copied.size());
    if (!actual.equals(etag)) {
      deleteQuietly(target.resolve(path));
      throw new IntegrityException(
          "blob " + blob + " (for " + path + ") hashes to " + actual + ", not to its name");
    }
    return new LockedFile(path, copied.size(), copied.sha256());
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // the caller's staging directory is removed anyway
    }
  }

  /** Git's blob id: SHA-1 over {@code "blob " + size + "\0"} and the content. */
  private static String gitBlobSha1(Path file, long size) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
      byte[] buffer = new byte[1 << 16];
      int read;
      while ((read = in.read(buffer)) >= 0) {
        sha1.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(sha1.digest());
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-1", e);
    }
  }
}
