package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub cache laid out as huggingface-cli leaves it: snapshot links to content-named blobs. */
class HuggingFaceCacheTest {
  private static final String COMMIT = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf";

  @TempDir Path temp;
  private Path repo;

  private static String hex(String algorithm, byte[]... parts) throws Exception {
    MessageDigest digest = MessageDigest.getInstance(algorithm);
    for (byte[] part : parts) {
      digest.update(part);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Stores a blob under its etag and links {@code path} of the snapshot to it. */
  private String put(String path, byte[] content, boolean lfs) throws Exception {
    String etag =
        lfs
            ? hex("SHA-256", content)
            : hex(
                "SHA-1",
                ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII),
                content);
    Files.write(repo.resolve("blobs").resolve(etag), content);
    Path link = repo.resolve("snapshots").resolve(COMMIT).resolve(path);
    Files.createDirectories(link.getParent());
    Files.createSymbolicLink(
        link, link.getParent().relativize(repo.resolve("blobs").resolve(etag)));
    return etag;
  }

  @BeforeEach
  void cache() throws Exception {
    repo = temp.resolve("hub/models--sentence-transformers--all-MiniLM-L6-v2");
    Files.createDirectories(repo.resolve("blobs"));
    Files.createDirectories(repo.resolve("refs"));
    Files.writeString(repo.resolve("refs/main"), COMMIT);
    put("onnx/model.onnx", "weights".getBytes(StandardCharsets.UTF_8), true);
    put("tokenizer.json", "{\"tokens\": 1}".getBytes(StandardCharsets.UTF_8), false);
  }

  private static ArtifactSource source(String... files) {
    return files.length == 0
        ? new ArtifactSource(
            "huggingface",
            Map.of("repository", "sentence-transformers/all-MiniLM-L6-v2", "revision", COMMIT))
        : new ArtifactSource(
            "huggingface",
            Map.of(
                "repository",
                "sentence-transformers/all-MiniLM-L6-v2",
                "revision",
                COMMIT,
                "files",
                String.join(",", files)));
  }

  @Test
  void copiesEverySnapshotFileCheckingLfsAndGitBlobNames() throws Exception {
    HuggingFaceCache cache = new HuggingFaceCache(temp.resolve("hub"));

    List<LockedFile> files = cache.fetch("minilm", source(), temp.resolve("out")).orElseThrow();

    assertThat(files)
        .containsExactly(
            new LockedFile(
                "onnx/model.onnx", 7, hex("SHA-256", "weights".getBytes(StandardCharsets.UTF_8))),
            new LockedFile(
                "tokenizer.json",
                13,
                hex("SHA-256", "{\"tokens\": 1}".getBytes(StandardCharsets.UTF_8))));
    assertThat(Files.readString(temp.resolve("out/onnx/model.onnx"))).isEqualTo("weights");
    assertThat(Files.isSymbolicLink(temp.resolve("out/tokenizer.json"))).isFalse();
    assertThat(cache.fetch("minilm", source("tokenizer.json"), temp.resolve("out2")).orElseThrow())
        .extracting(LockedFile::path)
        .containsExactly("tokenizer.json");
    ArtifactSource otherCommit =
        new ArtifactSource(
            "huggingface",
            Map.of(
                "repository",
                "sentence-transformers/all-MiniLM-L6-v2",
                "revision",
                "0".repeat(40)));
    assertThat(cache.fetch("minilm", otherCommit, temp.resolve("out3"))).isEmpty();
  }

  @Test
  void aSnapshotLackingAListedFileIsNotTheArtifactAndTheNextCacheIsTried() throws Exception {
    HuggingFaceCache partial = new HuggingFaceCache(temp.resolve("hub"));
    ArtifactSource wanted = source("tokenizer.json", "onnx/model_quantized.onnx");

    assertThat(partial.fetch("minilm", wanted, temp.resolve("out"))).isEmpty();
    DependencySpec spec =
        new DependencySpec(
            List.of(new DependencySpec.Request("minilm", ArtifactKind.MODEL, wanted)));
    assertThatThrownBy(() -> Locker.lock(spec, List.of(partial, partial), temp.resolve("files")))
        .isInstanceOf(MissingArtifactsException.class)
        .hasMessageContaining("minilm (huggingface ")
        .hasMessageEndingWith(
            "looked in [hugging face cache "
                + temp.resolve("hub")
                + ", hugging face cache "
                + temp.resolve("hub")
                + "]");
  }

  @Test
  void aBlobThatIsNotItsNameIsRefused() throws Exception {
    String etag = hex("SHA-256", "weights".getBytes(StandardCharsets.UTF_8));
    Files.writeString(repo.resolve("blobs").resolve(etag), "poisoned");

    assertThatThrownBy(
            () ->
                new HuggingFaceCache(temp.resolve("hub"))
                    .fetch("minilm", source(), temp.resolve("out")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "blob "
                + repo.resolve("blobs").resolve(etag).toAbsolutePath()
                + " (for onnx/model.onnx) hashes to "
                + hex("SHA-256", "poisoned".getBytes(StandardCharsets.UTF_8))
                + ", not to its name");
    assertThat(Files.exists(temp.resolve("out/onnx/model.onnx"))).isFalse();
  }

  @Test
  void danglingAndEscapingLinksAreRefused() throws Exception {
    String etag = hex("SHA-256", "weights".getBytes(StandardCharsets.UTF_8));
    Files.delete(repo.resolve("blobs").resolve(etag));
    HuggingFaceCache cache = new HuggingFaceCache(temp.resolve("hub"));
    Path link = repo.resolve("snapshots").resolve(COMMIT).resolve("onnx/model.onnx");

    assertThatThrownBy(() -> cache.fetch("minilm", source("onnx/model.onnx"), temp.resolve("a")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(link + " is a dangling link: its blob " + etag + " is missing");

    Files.delete(link);
    Files.createSymbolicLink(link, Path.of("/etc/hostname"));
    assertThatThrownBy(() -> cache.fetch("minilm", source("onnx/model.onnx"), temp.resolve("b")))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            link
                + " does not link into "
                + repo.resolve("blobs").toAbsolutePath()
                + "; a hub cache snapshot holds links to its blobs");
  }
}
