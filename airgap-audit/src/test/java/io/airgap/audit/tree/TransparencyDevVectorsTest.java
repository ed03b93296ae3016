package io.airgap.audit.tree;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every inclusion and consistency vector of transparency-dev/merkle, positive and negative: the
 * verifier accepts exactly those whose wantErr is false.
 */
class TransparencyDevVectorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Vector(Path file, JsonNode json) {
    @Override
    public String toString() {
      return file.getParent().getFileName()
          + "/"
          + file.getFileName()
          + " ("
          + json.get("desc").asText()
          + ")";
    }
  }

  static Stream<Vector> vectors(String kind) {
    try {
      Path root =
          Path.of(
              TransparencyDevVectorsTest.class
                  .getResource("/merkle-transparency-dev/" + kind)
                  .toURI());
      try (Stream<Path> files = Files.walk(root)) {
        List<Vector> vectors = new ArrayList<>();
        for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
          vectors.add(new Vector(file, JSON.readTree(file.toFile())));
        }
        return vectors.stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Vector> inclusion() {
    return vectors("inclusion");
  }

  static Stream<Vector> subtreeInclusion() {
    return vectors("subtreeinclusion");
  }

  static Stream<Vector> subtreeConsistency() {
    return vectors("subtreeconsistency");
  }

  static Stream<Vector> consistency() {
    return vectors("consistency");
  }

  private static byte[] bytes(JsonNode node) {
    return node == null || node.isNull() ? new byte[0] : Base64.getDecoder().decode(node.asText());
  }

  private static List<byte[]> hashes(JsonNode node) {
    List<byte[]> list = new ArrayList<>();
    if (node != null && !node.isNull()) {
      node.forEach(hash -> list.add(bytes(hash)));
    }
    return list;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusion")
  void inclusionVector(Vector vector) {
    JsonNode v = vector.json();
    Runnable check =
        () ->
            ProofVerifier.verifyInclusion(
                v.get("leafIdx").asLong(),
                v.get("treeSize").asLong(),
                bytes(v.get("leafHash")),
                hashes(v.get("proof")),
                bytes(v.get("root")));
    expect(v, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistency")
  void consistencyVector(Vector vector) {
    JsonNode v = vector.json();
    Runnable check =
        () ->
            ProofVerifier.verifyConsistency(
                v.get("size1").asLong(),
                v.get("size2").asLong(),
                bytes(v.get("root1")),
                bytes(v.get("root2")),
                hashes(v.get("proof")));
    expect(v, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subtreeInclusion")
  void subtreeInclusionVector(Vector vector) {
    JsonNode v = vector.json();
    Runnable check =
        () ->
            ProofVerifier.verifySubtreeInclusion(
                v.get("leafIdx").asLong(),
                v.get("start").asLong(),
                v.get("end").asLong(),
                bytes(v.get("leafHash")),
                hashes(v.get("proof")),
                bytes(v.get("root")));
    expect(v, check);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("subtreeConsistency")
  void subtreeConsistencyVector(Vector vector) {
    JsonNode v = vector.json();
    expect(
        v,
        () ->
            ProofVerifier.verifySubtreeConsistency(
                v.get("start").asLong(),
                v.get("end").asLong(),
                v.get("size").asLong(),
                bytes(v.get("root1")),
                bytes(v.get("root2")),
                hashes(v.get("proof"))));
  }

  /** The verifier must throw exactly when the vector says wantErr. */
  private static void expect(JsonNode vector, Runnable check) {
    if (vector.get("wantErr").asBoolean()) {
      assertThatThrownBy(check::run).isInstanceOf(ProofException.class);
    } else {
      assertThatCode(check::run).doesNotThrowAnyException();
    }
  }
}
