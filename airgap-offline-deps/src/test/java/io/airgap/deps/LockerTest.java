package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.airgap.core.FormatException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Locking a spec against a Maven repository (file: and nginx over HTTP) and a directory mirror. */
class LockerTest {
  @TempDir Path temp;
  private Path maven;
  private Path mirror;

  private static String hex(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  /** Publishes a jar with the given side file, as a repository manager does. */
  private void publish(
      String group, String artifact, String version, byte[] jar, String side, String sideValue)
      throws Exception {
    Path dir = maven.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
    Files.createDirectories(dir);
    Path file = Files.write(dir.resolve(artifact + "-" + version + ".jar"), jar);
    if (side != null) {
      Files.writeString(
          dir.resolve(file.getFileName() + side), sideValue + "  " + file.getFileName() + "\n");
    }
  }

  @BeforeEach
  void repositories() throws Exception {
    maven = Files.createDirectories(temp.resolve("m2"));
    mirror = Files.createDirectories(temp.resolve("mirror"));
    byte[] jar = "jar bytes".getBytes(StandardCharsets.UTF_8);
    publish("com.example", "lib", "1.0", jar, ".sha1", hex("SHA-1", jar));
    byte[] natives = "native bytes".getBytes(StandardCharsets.UTF_8);
    publish(
        "com.example", "natives", "2.0", natives, ".sha512", hex("SHA-512", natives).toUpperCase());
    Files.createDirectories(mirror.resolve("models/fraud/sub"));
    Files.writeString(mirror.resolve("models/fraud/model.onnx"), "onnx");
    Files.writeString(mirror.resolve("models/fraud/sub/vocab.txt"), "a\nb\n");
  }

  private static DependencySpec spec(String json) {
    return DependencySpec.parse(json.getBytes(StandardCharsets.UTF_8), "spec.json");
  }

  private static final String SPEC =
      "{\"schemaVersion\": 1, \"artifacts\": ["
          + "{\"name\": \"lib\", \"kind\": \"maven\", \"source\": {\"type\": \"maven\", \"coordinates\": \"com.example:lib:1.0\"}},"
          + "{\"name\": \"natives\", \"kind\": \"native-libraries\", \"source\": {\"type\": \"maven\", \"coordinates\": \"com.example:natives:2.0\"}},"
          + "{\"name\": \"fraud\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}}]}";

  @Test
  void locksFromAFileRepositoryAndADirectoryMirror() throws Exception {
    Lockfile lock =
        Locker.lock(
            spec(SPEC),
            List.of(
                new MavenRepository(maven.toUri(), Duration.ofSeconds(5)),
                new DirectoryMirror(mirror)),
            temp.resolve("scratch"));

    assertThat(lock.artifacts())
        .extracting(LockedArtifact::name)
        .containsExactly("fraud", "lib", "natives");
    assertThat(lock.artifact("lib").orElseThrow().files())
        .containsExactly(
            new LockedFile(
                "lib-1.0.jar", 9, hex("SHA-256", "jar bytes".getBytes(StandardCharsets.UTF_8))));
    assertThat(lock.artifact("fraud").orElseThrow().files())
        .extracting(LockedFile::path, LockedFile::size)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("model.onnx", 4L),
            org.assertj.core.groups.Tuple.tuple("sub/vocab.txt", 4L));
    assertThat(Files.readString(temp.resolve("scratch/fraud/sub/vocab.txt"))).isEqualTo("a\nb\n");
  }

  @Test
  void fetchingALockedArtifactAgainReadsNoFurtherThanItsLockedSize() throws Exception {
    List<Repository> repositories =
        List.of(new MavenRepository(maven.toUri(), Duration.ofSeconds(5)));
    Lockfile lock =
        Locker.lock(
            spec(
                "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"lib\", \"kind\": \"maven\","
                    + " \"source\": {\"type\": \"maven\", \"coordinates\": \"com.example:lib:1.0\"}}]}"),
            repositories,
            temp.resolve("scratch"));
    // The mirror now serves a far larger file under the same coordinates, consistently signed.
    byte[] larger = new byte[1 << 20];
    publish("com.example", "lib", "1.0", larger, ".sha1", hex("SHA-1", larger));

    assertThatThrownBy(() -> Locker.fetch(lock, repositories, temp.resolve("again")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            maven.resolve("com/example/lib/1.0/lib-1.0.jar")
                + " is now larger than the 9 bytes the lock records");
    assertThat(temp.resolve("again/lib/lib-1.0.jar")).doesNotExist();
  }

  @Test
  void locksOverHttpFromNginx() throws Exception {
    assumeTrue(Nginx.available(), "nginx is not installed (the CI script installs it)");
    try (Nginx nginx = Nginx.serve(maven, temp.resolve("nginx"))) {
      MavenRepository http = new MavenRepository(URI.create(nginx.url()), Duration.ofSeconds(5));

      Lockfile lock =
          Locker.lock(
              spec(SPEC.replace(",{\"name\": \"fraud\"", "]}").replaceAll("]}.*$", "]}")),
              List.of(http),
              temp.resolve("s"));

      assertThat(lock.artifacts())
          .extracting(LockedArtifact::name)
          .containsExactly("lib", "natives");
      assertThat(http.describe()).isEqualTo("maven repository " + nginx.url());
      assertThatThrownBy(
              () ->
                  Locker.lock(
                      spec(
                          "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"gone\", \"kind\": \"maven\", \"source\": {\"type\": \"maven\", \"coordinates\": \"com.example:gone:1\"}}]}"),
                      List.of(http),
                      temp.resolve("s2")))
          .isInstanceOf(MissingArtifactsException.class)
          .hasMessage(
              "1 artifact(s) not found: gone (maven {coordinates=com.example:gone:1}): looked in"
                  + " [maven repository "
                  + nginx.url()
                  + "]");
    }
  }

  @Test
  void everyMissingArtifactIsListedWithWhereItWasLookedFor() {
    String spec =
        "{\"schemaVersion\": 1, \"artifacts\": ["
            + "{\"name\": \"a\", \"kind\": \"maven\", \"source\": {\"type\": \"maven\", \"coordinates\": \"com.example:a:1\"}},"
            + "{\"name\": \"b\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/b\"}},"
            + "{\"name\": \"c\", \"kind\": \"model\", \"source\": {\"type\": \"oci\", \"repository\": \"models/c\", \"digest\": \"sha256:"
            + "0".repeat(64)
            + "\"}}]}";

    assertThatThrownBy(
            () ->
                Locker.lock(
                    spec(spec),
                    List.of(
                        new MavenRepository(maven.toUri(), Duration.ofSeconds(5)),
                        new DirectoryMirror(mirror)),
                    temp.resolve("scratch")))
        .isInstanceOf(MissingArtifactsException.class)
        .satisfies(
            e ->
                assertThat(((MissingArtifactsException) e).missing())
                    .containsExactly(
                        "a (maven {coordinates=com.example:a:1}): looked in [maven repository "
                            + maven.toUri()
                            + "]",
                        "b (directory {path=models/b}): looked in [directory mirror "
                            + mirror
                            + "]",
                        "c (oci {digest=sha256:"
                            + "0".repeat(64)
                            + ", repository=models/c}): no repository serves oci sources"));
  }

  @Test
  void aSideChecksumThatDisagreesOrIsMissingRefusesTheArtifact() throws Exception {
    byte[] jar = "jar bytes".getBytes(StandardCharsets.UTF_8);
    publish("com.example", "bad", "1", jar, ".sha256", "0".repeat(64));
    publish("com.example", "bare", "1", jar, null, null);
    MavenRepository repository = new MavenRepository(maven.toUri(), Duration.ofSeconds(5));
    Path target = temp.resolve("t");

    assertThatThrownBy(
            () ->
                repository.fetch(
                    "bad",
                    new ArtifactSource("maven", Map.of("coordinates", "com.example:bad:1")),
                    target))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            maven.resolve("com/example/bad/1/bad-1.jar")
                + " does not match its .sha256 side file: the file hashes to "
                + hex("SHA-256", jar)
                + ", the repository says "
                + "0".repeat(64));
    assertThat(Files.exists(target.resolve("bad-1.jar"))).isFalse();
    assertThatThrownBy(
            () ->
                repository.fetch(
                    "bare",
                    new ArtifactSource("maven", Map.of("coordinates", "com.example:bare:1")),
                    target))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            maven.resolve("com/example/bare/1/bare-1.jar")
                + " has no .sha512, .sha256 or .sha1 side file; the"
                + " repository does not vouch for it");
    // A matching .sha512 does not excuse a .sha1 that disagrees: every published digest counts.
    publish("com.example", "mixed", "1", jar, ".sha512", hex("SHA-512", jar));
    Files.writeString(maven.resolve("com/example/mixed/1/mixed-1.jar.sha1"), "0".repeat(40) + "\n");
    assertThatThrownBy(
            () ->
                repository.fetch(
                    "mixed",
                    new ArtifactSource("maven", Map.of("coordinates", "com.example:mixed:1")),
                    target))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            maven.resolve("com/example/mixed/1/mixed-1.jar")
                + " does not match its .sha1 side file: the file hashes to "
                + hex("SHA-1", jar)
                + ", the repository says "
                + "0".repeat(40));
  }

  @Test
  void hostileCoordinatesAndSpecsAreRefused() {
    assertThatThrownBy(() -> new ArtifactSource("maven", Map.of("coordinates", "..:..:1")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "maven source coordinates '..:..:1' are not groupId:artifactId:version (or a classifier"
                + " or extension is malformed)");
    assertThatThrownBy(() -> new ArtifactSource("directory", Map.of("path", "../../etc")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "directory source path: file name '../../etc' has a '..' segment that escapes the model directory");
    assertThatThrownBy(() -> spec(SPEC.replace("\"name\": \"natives\"", "\"name\": \"lib\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage("spec.json: the spec names artifact lib twice");
    assertThatThrownBy(() -> spec(SPEC.replace("\"name\": \"fraud\"", "\"name\": \"../fraud\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "spec.json artifacts[2] (../fraud): artifact name '../fraud' must be letters, digits,"
                + " '.', '_', '-' and single '/' separators, with no part starting with '.'");
  }

  @Test
  void theFilesDirectoryMustBeTheLockersOwn() throws Exception {
    DependencySpec fraud =
        spec(
            "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"models/fraud\", \"kind\":"
                + " \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/fraud\"}}]}");
    List<Repository> sources = List.of(new DirectoryMirror(mirror));

    // The sources themselves as the files directory: fetching would delete the model first.
    assertThatThrownBy(() -> Locker.lock(fraud, sources, mirror))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage(
            mirror
                + " holds files that no lock put there; fetched files replace a directory per"
                + " artifact name in it, so name a new or empty directory");
    assertThat(mirror.resolve("models/fraud/model.onnx")).hasContent("onnx");

    Path files = temp.resolve("files");
    Locker.lock(fraud, sources, files);
    Lockfile again = Locker.lock(fraud, sources, files); // its own directory: rewritten
    assertThat(again.artifacts()).hasSize(1);
    assertThat(files.resolve("models/fraud/model.onnx")).hasContent("onnx");
    assertThat(files.resolve(Locker.SCRATCH_MARKER)).exists();
  }

  @Test
  void aDirectorySourceReachedThroughALinkIsRefused() throws Exception {
    Path elsewhere = Files.createDirectories(temp.resolve("elsewhere/model"));
    Files.writeString(elsewhere.resolve("model.onnx"), "other bytes");
    Files.createSymbolicLink(mirror.resolve("models/linked"), elsewhere);
    DependencySpec linked =
        spec(
            "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"linked\", \"kind\": \"model\","
                + " \"source\": {\"type\": \"directory\", \"path\": \"models/linked\"}}]}");

    assertThatThrownBy(
            () -> Locker.lock(linked, List.of(new DirectoryMirror(mirror)), temp.resolve("files")))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage(
            "linked: "
                + mirror.resolve("models/linked")
                + " is a symbolic link; a directory source takes no links");
  }
}
