package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OCI sources: a distribution registry on 127.0.0.1, and an OCI layout directory. */
class OciRepositoriesTest {
  @TempDir Path temp;
  private LockedArtifact artifact;
  private byte[] manifest;

  @BeforeEach
  void artifact() throws Exception {
    Path files = Files.createDirectories(temp.resolve("files/sub"));
    Files.writeString(files.getParent().resolve("model.onnx"), "onnx bytes");
    Files.writeString(files.resolve("vocab.txt"), "a\nb\n");
    artifact =
        new LockedArtifact(
            "fraud",
            ArtifactKind.MODEL,
            new ArtifactSource("directory", Map.of("path", "fraud")),
            List.of(
                new LockedFile(
                    "model.onnx", 10, DepsFiles.sha256(DistributionRegistry.utf8("onnx bytes"))),
                new LockedFile(
                    "sub/vocab.txt", 4, DepsFiles.sha256(DistributionRegistry.utf8("a\nb\n")))));
    manifest = OciArtifacts.manifest(artifact);
  }

  private ArtifactSource oci(String repository) {
    return new ArtifactSource(
        "oci", Map.of("repository", repository, "digest", "sha256:" + DepsFiles.sha256(manifest)));
  }

  @Test
  void fetchesFromADistributionRegistry() throws Exception {
    assumeTrue(
        DistributionRegistry.available(),
        "docker-registry is not installed (the CI script installs it)");
    try (DistributionRegistry registry = DistributionRegistry.start(temp.resolve("registry"))) {
      registry.pushBlob("models/fraud", DistributionRegistry.utf8("{}"));
      registry.pushBlob("models/fraud", DistributionRegistry.utf8("onnx bytes"));
      registry.pushBlob("models/fraud", DistributionRegistry.utf8("a\nb\n"));
      registry.pushManifest("models/fraud", "v1", manifest);
      OciRegistry repository = new OciRegistry(URI.create(registry.url()), Duration.ofSeconds(5));

      List<LockedFile> files =
          repository.fetch("fraud", oci("models/fraud"), temp.resolve("out")).orElseThrow();

      assertThat(files).isEqualTo(artifact.files());
      assertThat(Files.readString(temp.resolve("out/sub/vocab.txt"))).isEqualTo("a\nb\n");
      assertThat(repository.fetch("fraud", oci("models/other"), temp.resolve("out2"))).isEmpty();
    }
  }

  @Test
  void fetchesFromAnOciLayoutAndRefusesATamperedBlob() throws Exception {
    ContentStore store = ContentStore.openOrCreate(temp.resolve("layout"));
    store.add(artifact, temp.resolve("files"));
    OciLayout layout = new OciLayout(temp.resolve("layout"));

    assertThat(layout.fetch("fraud", oci("ignored"), temp.resolve("out")).orElseThrow())
        .isEqualTo(artifact.files());

    Files.writeString(store.blob(artifact.files().get(1).sha256()), "a\nc\n");
    assertThatThrownBy(() -> layout.fetch("fraud", oci("ignored"), temp.resolve("out2")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "blob "
                + artifact.files().get(1).sha256()
                + " (sub/vocab.txt) holds 4 bytes hashing to "
                + DepsFiles.sha256(DistributionRegistry.utf8("a\nc\n")));
  }
}
