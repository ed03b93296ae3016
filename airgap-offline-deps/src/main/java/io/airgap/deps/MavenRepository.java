package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A Maven repository in remote layout, as a {@code file:} directory or at an intranet {@code
 * http(s):} URL such as a Nexus mirror. Artifacts are found by coordinates ({@code
 * group/artifact/version/artifact-version[-classifier].extension}) and checked against the
 * strongest side file the repository publishes beside them ({@code .sha512}, {@code .sha256}, then
 * {@code .sha1}); one that disagrees, or none at all, refuses the artifact. Over HTTP no proxy is
 * used and redirects are not followed, so nothing but the configured host is contacted.
 * Thread-safe.
 */
public final class MavenRepository implements Repository {
  /** The largest artifact accepted, in bytes (8 GiB). */
  public static final long MAX_BYTES = 8L << 30;

  private static final String[][] SIDE_FILES = {
    {".sha512", "SHA-512"}, {".sha256", "SHA-256"}, {".sha1", "SHA-1"}
  };

  private final URI base;
  private final IntranetHttp http;

  /**
   * A repository at {@code base} ({@code file:}, {@code http:} or {@code https:}).
   *
   * @throws IllegalArgumentException for another scheme
   */
  public MavenRepository(URI base, Duration timeout) {
    String scheme = String.valueOf(base.getScheme()).toLowerCase(Locale.ROOT);
    if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException(
          "a Maven repository is a file:, http: or https: URL, not " + base);
    }
    this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
    this.http = scheme.equals("file") ? null : new IntranetHttp(timeout);
  }

  @Override
  public String describe() {
    return "maven repository " + base;
  }

  @Override
  public boolean serves(ArtifactSource source) {
    return source.type().equals("maven");
  }

  /** The artifact's path in remote layout. */
  static String path(ArtifactSource source) {
    String[] gav = source.coordinates().get("coordinates").split(":");
    String classifier = source.coordinates().get("classifier");
    String extension = source.coordinates().getOrDefault("extension", "jar");
    return gav[0].replace('.', '/')
        + "/"
        + gav[1]
        + "/"
        + gav[2]
        + "/"
        + gav[1]
        + "-"
        + gav[2]
        + (classifier == null ? "" : "-" + classifier)
        + "."
        + extension;
  }

  @Override
  public Optional<List<LockedFile>> fetch(String name, ArtifactSource source, Path target) {
    return fetchAtMost(path(source), target, MAX_BYTES);
  }

  /** Reads the artifact's file no further than the size the lock records for it. */
  @Override
  public Optional<List<LockedFile>> fetchLocked(
      String name, ArtifactSource source, Path target, List<LockedFile> locked) {
    String path = path(source);
    String fileName = fileName(path);
    long limit =
        locked.stream()
            .filter(file -> file.path().equals(fileName))
            .mapToLong(LockedFile::size)
            .findFirst()
            .orElse(MAX_BYTES); // a jar the lock records by what was extracted from it
    return fetchAtMost(path, target, limit);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** Fetches the file at {@code path} in remote layout, reading at most {@code limit} bytes. */
  private Optional<List<LockedFile>> fetchAtMost(String path, Path target, long limit) {
    URI uri = base.resolve(path);
    String fileName = fileName(path);
    Path file = target.resolve(fileName);
    HashingCopy.Result copied;
    try (InputStream in = open(uri)) {
      if (in == null) {
        return Optional.empty();
      }
      copied =
          HashingCopy.copy(
              in, file, limit, where(uri), DepsFiles.digest("SHA-512"), DepsFiles.digest("SHA-1"));
    } catch (HashingCopy.LimitExceeded e) {
      DepsFiles.deleteQuietly(file);
      throw limit == MAX_BYTES
          ? e
          : new IntegrityException(
              where(uri) + " is now larger than the " + limit + " bytes the lock records");
    } catch (IOException e) {
      throw new InputException("cannot read " + where(uri) + ": " + e.getMessage(), e);
    }
    try {
      checkSideFile(uri, copied);
    } catch (RuntimeException e) {
      DepsFiles.deleteQuietly(file);
      throw e;
    }
    return Optional.of(List.of(new LockedFile(fileName, copied.size(), copied.sha256())));
  }

  /**
   * Every side file the repository publishes must match, and at least one must exist: a matching
   * .sha512 beside a disagreeing .sha1 means someone changed one and not the other.
   */
  private void checkSideFile(URI uri, HashingCopy.Result copied) {
    int checked = 0;
    for (String[] side : SIDE_FILES) {
      URI sideUri = URI.create(uri + side[0]);
      String text = readSmall(sideUri);
      if (text == null) {
        continue;
      }
      checked++;
      String published = text.trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
      String actual = copied.hex().get(side[1]);
      if (!published.equals(actual)) {
        throw new IntegrityException(
            where(uri)
                + " does not match its "
                + side[0]
                + " side file: the file hashes to "
                + actual
                + ", the repository says "
                + published);
      }
    }
    if (checked > 0) {
      return;
    }
    throw new IntegrityException(
        where(uri)
            + " has no .sha512, .sha256 or .sha1 side file; the repository does not vouch for it");
  }

  /** A repository file as messages name it: a path for a file: repository, else the URL. */
  private String where(URI uri) {
    return http == null ? Path.of(uri).toString() : uri.toString();
  }

  /** The stream of a repository file, or null when the repository has no such file. */
  private InputStream open(URI uri) throws IOException {
    if (http == null) {
      try {
        return Files.newInputStream(Path.of(uri));
      } catch (NoSuchFileException e) {
        return null;
      }
    }
    return http.get(uri, null);
  }

  private String readSmall(URI uri) {
    try (InputStream in = open(uri)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readNBytes(4096);
      return new String(bytes, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new InputException("cannot read " + where(uri) + ": " + e.getMessage(), e);
    }
  }
}
