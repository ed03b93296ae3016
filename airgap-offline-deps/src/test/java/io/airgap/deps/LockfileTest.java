package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lockfile is canonical when written and strict when read. */
class LockfileTest {
  @TempDir Path temp;

  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private static Lockfile sample() {
    return new Lockfile(
        List.of(
            new LockedArtifact(
                "onnxruntime-natives",
                ArtifactKind.NATIVE_LIBRARIES,
                new ArtifactSource(
                    "maven", Map.of("coordinates", "com.microsoft.onnxruntime:onnxruntime:1.24.2")),
                List.of(new LockedFile("linux-x64/libonnxruntime.so", 22065056, B))),
            new LockedArtifact(
                "minilm",
                ArtifactKind.MODEL,
                new ArtifactSource(
                    "huggingface",
                    Map.of(
                        "repository", "sentence-transformers/all-MiniLM-L6-v2",
                        "revision", "c9745ed1d9f207416be6d2e6f8de32d1f16199bf")),
                List.of(
                    new LockedFile("tokenizer.json", 711661, A),
                    new LockedFile("model.onnx", 22972370, B)))));
  }

  private static String json() {
    return new String(sample().toJson(), StandardCharsets.UTF_8);
  }

  private static Lockfile parse(String json) {
    return Lockfile.parse(json.getBytes(StandardCharsets.UTF_8), "airgap.lock.json");
  }

  @Test
  void writtenCanonicallyAndReadBack() {
    assertThat(json())
        .isEqualTo(
            "{\n"
                + "  \"schemaVersion\": 1,\n"
                + "  \"artifacts\": [\n"
                + "    {\n"
                + "      \"name\": \"minilm\",\n"
                + "      \"kind\": \"model\",\n"
                + "      \"source\": {\n"
                + "        \"type\": \"huggingface\",\n"
                + "        \"repository\": \"sentence-transformers/all-MiniLM-L6-v2\",\n"
                + "        \"revision\": \"c9745ed1d9f207416be6d2e6f8de32d1f16199bf\"\n"
                + "      },\n"
                + "      \"files\": [\n"
                + "        {\n"
                + "          \"path\": \"model.onnx\",\n"
                + "          \"size\": 22972370,\n"
                + "          \"sha256\": \""
                + B
                + "\"\n"
                + "        },\n"
                + "        {\n"
                + "          \"path\": \"tokenizer.json\",\n"
                + "          \"size\": 711661,\n"
                + "          \"sha256\": \""
                + A
                + "\"\n"
                + "        }\n"
                + "      ]\n"
                + "    },\n"
                + "    {\n"
                + "      \"name\": \"onnxruntime-natives\",\n"
                + "      \"kind\": \"native-libraries\",\n"
                + "      \"source\": {\n"
                + "        \"type\": \"maven\",\n"
                + "        \"coordinates\": \"com.microsoft.onnxruntime:onnxruntime:1.24.2\"\n"
                + "      },\n"
                + "      \"files\": [\n"
                + "        {\n"
                + "          \"path\": \"linux-x64/libonnxruntime.so\",\n"
                + "          \"size\": 22065056,\n"
                + "          \"sha256\": \""
                + B
                + "\"\n"
                + "        }\n"
                + "      ]\n"
                + "    }\n"
                + "  ]\n"
                + "}\n");
    assertThat(parse(json())).isEqualTo(sample());
    sample().write(temp.resolve(Lockfile.FILE_NAME));
    assertThat(Lockfile.read(temp.resolve(Lockfile.FILE_NAME))).isEqualTo(sample());
    assertThat(sample().artifact("minilm").orElseThrow().size()).isEqualTo(22972370 + 711661);
  }

  @Test
  void unknownVersionAndFieldsAreRefused() {
    assertThatThrownBy(() -> parse(json().replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")))
        .isInstanceOf(FormatException.class)
        .hasMessage("airgap.lock.json: lockfile schemaVersion 2 is not supported; this reads 1");
    assertThatThrownBy(
            () ->
                parse(json().replace("\"kind\": \"model\"", "\"kind\": \"model\", \"url\": \"x\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage("airgap.lock.json artifacts[0]: unknown field 'url'");
    assertThatThrownBy(
            () -> parse(json().replace("\"size\": 711661", "\"size\": 711661, \"mode\": 1")))
        .isInstanceOf(FormatException.class)
        .hasMessage("airgap.lock.json artifacts[0] (minilm) files[1]: unknown field 'mode'");
    assertThatThrownBy(
            () ->
                parse(
                    json()
                        .replace(
                            "\"type\": \"maven\",", "\"type\": \"maven\", \"url\": \"http://x\",")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[1] (onnxruntime-natives): maven source has an unknown coordinate 'url'");
  }

  @Test
  void aLockOrSpecOfNothingIsRefused() {
    // A bundle of no artifact could never verify, and resolving nothing proves nothing.
    assertThatThrownBy(() -> parse("{\"schemaVersion\": 1, \"artifacts\": []}"))
        .isInstanceOf(FormatException.class)
        .hasMessage("airgap.lock.json: the lockfile lists no artifacts");
    assertThatThrownBy(
            () ->
                DependencySpec.parse(
                    "{\"schemaVersion\": 1, \"artifacts\": []}".getBytes(StandardCharsets.UTF_8),
                    "deps.json"))
        .isInstanceOf(FormatException.class)
        .hasMessage("deps.json: the spec lists no artifacts");
  }

  @Test
  void duplicatesAreRefused() {
    String twice = json().replace("\"name\": \"onnxruntime-natives\"", "\"name\": \"minilm\"");
    assertThatThrownBy(() -> parse(twice))
        .isInstanceOf(FormatException.class)
        .hasMessage("airgap.lock.json: the lockfile names artifact minilm twice");
    String samePath = json().replace("\"path\": \"tokenizer.json\"", "\"path\": \"model.onnx\"");
    assertThatThrownBy(() -> parse(samePath))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): artifact minilm lists file model.onnx twice");
    assertThatThrownBy(
            () ->
                parse(
                    json()
                        .replace("\"kind\": \"model\", ", "")
                        .replace(
                            "\"kind\": \"model\",\n",
                            "\"kind\": \"model\",\n    \"kind\": \"model\",\n")))
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("Duplicate field 'kind'");
  }

  @Test
  void badDigestsSizesPathsAndSourcesAreRefused() {
    assertThatThrownBy(() -> parse(json().replace(A, A.toUpperCase())))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file tokenizer.json: sha256 must be 64"
                + " lowercase hex digits, not '"
                + A.toUpperCase()
                + "'");
    assertThatThrownBy(() -> parse(json().replace("\"size\": 711661", "\"size\": -1")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file tokenizer.json: negative size -1");
    assertThatThrownBy(
            () -> parse(json().replace("\"name\": \"minilm\"", "\"name\": \"x/../../victim\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (x/../../victim): artifact name 'x/../../victim' must be"
                + " letters, digits, '.', '_', '-' and single '/' separators, with no part starting"
                + " with '.'");
    assertThatThrownBy(() -> parse(json().replace("\"tokenizer.json\"", "\"../etc/passwd\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file: file name '../etc/passwd' has a '..'"
                + " segment that escapes the model directory");
    assertThatThrownBy(() -> parse(json().replace("\"tokenizer.json\"", "\"D:tokenizer.json\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file: file name 'D:tokenizer.json'"
                + " contains ':' (a drive or stream name on Windows)");
    assertThatThrownBy(() -> parse(json().replace("\"tokenizer.json\"", "\"sub/Aux.json\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file: file name 'sub/Aux.json' has a"
                + " segment 'Aux.json' that names a device on Windows");
    for (String device : List.of("nul .txt", "CONIN$", "lpt\u00b2.bin", "com9.tar.gz")) {
      assertThatThrownBy(() -> parse(json().replace("\"tokenizer.json\"", "\"" + device + "\"")))
          .isInstanceOf(FormatException.class)
          .hasMessageEndingWith("' that names a device on Windows");
    }
    assertThatThrownBy(() -> parse(json().replace("\"tokenizer.json\"", "\"tokenizer.json.\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): locked file: file name 'tokenizer.json.' has"
                + " a segment ending in a dot or space, which Windows drops");
    assertThatThrownBy(
            () -> parse(json().replace("c9745ed1d9f207416be6d2e6f8de32d1f16199bf", "main")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[0] (minilm): huggingface source revision 'main' is not a"
                + " 40-hex commit; lock a commit, not a branch");
    assertThatThrownBy(() -> parse(json().replace("\"type\": \"maven\"", "\"type\": \"ftp\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[1] (onnxruntime-natives): source type 'ftp' is unknown;"
                + " known: [directory, huggingface, maven, oci]");
    assertThatThrownBy(() -> parse(json().replace("\"native-libraries\"", "\"natives\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "airgap.lock.json artifacts[1] (onnxruntime-natives): unknown kind 'natives'; known:"
                + " model, tokenizer, native-libraries, maven, file");
  }

  @Test
  void ociRepositoriesAndTagsFollowTheDistributionGrammar() {
    String digest = "sha256:" + "a".repeat(64);
    assertThat(
            new ArtifactSource("oci", Map.of("repository", "team/fraud-model_v2", "digest", digest))
                .coordinates())
        .containsEntry("repository", "team/fraud-model_v2");
    assertThatThrownBy(
            () ->
                new ArtifactSource(
                    "oci", Map.of("repository", "../../api/v2.0/x", "digest", digest)))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "oci source repository '../../api/v2.0/x' is not a repository name (lowercase path"
                + " components such as team/model)");
    assertThatThrownBy(
            () -> new ArtifactSource("oci", Map.of("repository", "a b", "digest", digest)))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("oci source repository 'a b' is not a repository name");
    assertThatThrownBy(
            () ->
                new ArtifactSource(
                    "oci", Map.of("repository", "team/m", "digest", digest, "tag", "v1?x=1")))
        .isInstanceOf(FormatException.class)
        .hasMessage("oci source tag 'v1?x=1' is not a tag");
  }

  @Test
  void documentsAreReadWithABound() throws Exception {
    Path huge = temp.resolve("airgap.lock.json");
    try (java.nio.channels.FileChannel channel =
        java.nio.channels.FileChannel.open(
            huge,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), 16L << 20); // 16 MiB + 1, sparse
    }

    assertThatThrownBy(() -> Lockfile.read(huge))
        .isInstanceOf(FormatException.class)
        .hasMessage(huge + " holds more than 16777216 bytes; it is not one of airgap's documents");
  }

  @Test
  void namesThatWouldShareADirectoryAreRefused() {
    assertThatThrownBy(
            () ->
                parse(json().replace("\"name\": \"onnxruntime-natives\"", "\"name\": \"MiniLM\"")))
        .isInstanceOf(FormatException.class)
        .hasMessageEndingWith(
            "the lockfile names artifacts minilm and MiniLM, which differ only in case (one"
                + " directory on case-insensitive file systems)");
    assertThatThrownBy(
            () ->
                parse(
                    json()
                        .replace(
                            "\"name\": \"onnxruntime-natives\"", "\"name\": \"minilm/natives\"")))
        .isInstanceOf(FormatException.class)
        .hasMessageEndingWith(
            "the lockfile names artifact minilm/natives inside artifact minilm: their files would"
                + " mix in one directory");
    LockedFile x = new LockedFile("x", 1, "a".repeat(64));
    LockedFile xy = new LockedFile("x/y", 1, "b".repeat(64));
    assertThatThrownBy(
            () ->
                new LockedArtifact(
                    "m",
                    ArtifactKind.FILE,
                    new ArtifactSource("directory", Map.of("path", "m")),
                    List.of(x, xy)))
        .isInstanceOf(FormatException.class)
        .hasMessage("artifact m lists file x and file x/y under it");
  }
}
