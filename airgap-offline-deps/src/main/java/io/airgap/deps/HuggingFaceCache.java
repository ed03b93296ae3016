package io.airgap.deps;

import io.airgap.core.InputException;
import io.airgap.core.internal.ResourceNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Hugging Face hub cache as {@code huggingface-cli download} leaves it: {@code
 * models--ORG--NAME/snapshots/COMMIT/PATH} links to {@code blobs/ETAG}, where the etag of a file
 * stored with Git LFS is its SHA-256 and that of a small file its Git blob SHA-1. Each file is
 * copied from its blob and checked against that name while it is copied: a blob whose content is
 * not its name, a link that leaves the repository's blobs, or a dangling link refuses the artifact.
 * Thread-safe.
 */
public final class HuggingFaceCache implements Repository {
  private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceCache.class);

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
    List<String> absent =
        wanted.stream()
            .filter(path -> !Files.exists(snapshot.resolve(path), LinkOption.NOFOLLOW_LINKS))
            .toList();
    if (!absent.isEmpty()) {
      // Not here: another cache may hold them, and the lock lists every artifact found nowhere.
      LOG.warn("{}: snapshot {} lacks {}", describe(), snapshot, absent);
      return Optional.empty();
    }
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
      // A Git blob id is SHA-1 over "blob SIZE\0" and the content: prime it, hash in the one pass.
      MessageDigest gitBlob = DepsFiles.digest("SHA-1");
      gitBlob.update(("blob " + Files.size(blob) + "\0").getBytes(StandardCharsets.US_ASCII));
      copied = HashingCopy.copy(in, target.resolve(path), Long.MAX_VALUE, blob.toString(), gitBlob);
    } catch (IOException e) {
      throw new InputException("cannot read " + blob + ": " + e.getMessage(), e);
    }
    String actual = lfs ? copied.sha256() : copied.hex().get("SHA-1");
    if (!actual.equals(etag)) {
      DepsFiles.deleteQuietly(target.resolve(path));
      throw new IntegrityException(
          "blob " + blob + " (for " + path + ") hashes to " + actual + ", not to its name");
    }
    return new LockedFile(path, copied.size(), copied.sha256());
  }
}
