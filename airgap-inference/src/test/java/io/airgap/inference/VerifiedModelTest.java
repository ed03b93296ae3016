package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ManifestMismatchException;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only signed bytes reach the runtime: snapshot, verify, refuse, clean up. */
class VerifiedModelTest {
  @TempDir Path temp;

  private Path work() {
    return temp.resolve("work");
  }

  private long snapshots() throws Exception {
    if (!Files.exists(work())) {
      return 0;
    }
    try (Stream<Path> entries = Files.list(work())) {
      return entries.count();
    }
  }

  @Test
  void snapshotIsPrivateAndDeletedOnClose() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("fraud"), OnnxModels.mlp(), "vocab.txt", "a\nb\n");

    VerifiedModel model = SignedModels.load(dir, work());

    assertThat(model.name()).isEqualTo("fraud");
    assertThat(model.digest()).matches("sha256:[0-9a-f]{64}");
    assertThat(model.modelFileName()).isEqualTo("model.onnx");
    assertThat(model.modelFile()).startsWith(work());
    assertThat(model.modelFile().startsWith(dir)).isFalse();
    Path snapshot = work().resolve(work().relativize(model.modelFile()).getName(0));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(snapshot)))
        .isEqualTo("rwx------");
    assertThat(Files.readString(model.file("vocab.txt"))).isEqualTo("a\nb\n");
    assertThat(model.hasFile("../fraud/model.onnx")).isFalse();
    assertThatThrownBy(() -> model.file("../../etc/passwd"))
        .isInstanceOf(InputException.class)
        .hasMessage("model fraud has no file ../../etc/passwd");
    assertThat(model.report().resourcesChecked()).isEqualTo(2);

    model.close();

    assertThat(snapshots()).isZero();
  }

  @Test
  void aTamperedFileIsRefusedBeforeTheRuntimeSeesIt() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("fraud"), OnnxModels.mlp());
    byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
    bytes[bytes.length - 1] ^= 1;
    Files.write(dir.resolve("model.onnx"), bytes);

    assertThatThrownBy(() -> SignedModels.load(dir, work()))
        .isInstanceOf(ManifestMismatchException.class)
        .satisfies(
            e ->
                assertThat(((ManifestMismatchException) e).report().modifiedFiles())
                    .containsExactly("model.onnx"));
    assertThat(snapshots()).isZero();
  }

  @Test
  void anExtraFileIsRefused() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("fraud"), OnnxModels.mlp());
    Files.writeString(dir.resolve("patch.py"), "import os");

    assertThatThrownBy(() -> SignedModels.load(dir, work()))
        .isInstanceOf(ManifestMismatchException.class)
        .satisfies(
            e ->
                assertThat(((ManifestMismatchException) e).report().extraFiles())
                    .containsExactly("patch.py"));
  }

  @Test
  void anotherSignerIsRefused() {
    Path dir = SignedModels.signed(temp.resolve("fraud"), OnnxModels.mlp());
    ModelVerifier stranger =
        ModelVerifier.builder().publicKey(Pem.generate(KeyType.ECDSA_P256).publicKey()).build();

    assertThatThrownBy(
            () -> VerifiedModel.builder(dir).verifier(stranger).workDirectory(work()).load())
        .isInstanceOf(SignatureException.class);
  }

  /** The signed model doubles its input; the model swapped in afterwards would not. */
  private static void assertRunsTheSignedFixedShapeModel(VerifiedModel model) {
    try (InferenceSession session = InferenceSession.builder(model).open()) {
      Map<String, Tensor> out =
          session.run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4)));
      assertThat(out.get("y").floats()).containsExactly(2, 4, 6, 8);
    }
  }

  @Test
  void aFileSwappedAfterVerificationNeverReachesTheRuntime() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.fixedShape());
    try (VerifiedModel model = SignedModels.load(dir, work())) {
      // Swap the original for another model once the check is done.
      Files.write(dir.resolve("model.onnx"), OnnxModels.mlp());

      assertRunsTheSignedFixedShapeModel(model);
    }
  }

  @Test
  void aSingleFileModelNamedThroughALinkIsCopiedNotLinked() throws Exception {
    Path releases = Files.createDirectories(temp.resolve("releases/v7"));
    Path target = Files.write(releases.resolve("current.onnx"), OnnxModels.fixedShape());
    Path signature = temp.resolve("current.sig");
    io.airgap.core.signing.ModelSigner.builder()
        .key(SignedModels.KEY)
        .build()
        .sign(target, signature, io.airgap.core.manifest.ModelHasher.builder().build(), List.of());
    Path link =
        Files.createSymbolicLink(
            Files.createDirectories(temp.resolve("models")).resolve("current.onnx"), target);

    try (VerifiedModel model =
        VerifiedModel.builder(link)
            .signature(signature)
            .verifier(SignedModels.verifier())
            .workDirectory(work())
            .load()) {
      assertThat(Files.isSymbolicLink(model.modelFile())).isFalse();
      assertThat(Files.isRegularFile(model.modelFile())).isTrue();
      // The bytes behind the link change after verification: the runtime never sees them.
      Files.write(target, OnnxModels.mlp());

      assertRunsTheSignedFixedShapeModel(model);
    }
  }

  @Test
  void filesTheSignatureDoesNotCoverNeverReachTheSnapshot() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.mlp(), "tokenizer.json", "{}");
    Files.writeString(dir.resolve("notes.txt"), "unsigned, added later");
    Files.createDirectories(dir.resolve("selftest/inputs"));
    Files.writeString(dir.resolve("selftest/inputs/x.npy"), "unsigned golden input");

    try (VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(
                io.airgap.core.signing.ModelVerifier.builder()
                    .publicKey(SignedModels.KEY.publicKey())
                    .ignoreUnsignedFiles(true)
                    .build())
            .workDirectory(work())
            .load()) {
      assertThat(model.hasFile("tokenizer.json")).isTrue();
      assertThat(model.hasFile("notes.txt")).isFalse();
      assertThat(model.filesUnder("selftest/")).isEmpty();
      assertThatThrownBy(() -> model.file("notes.txt"))
          .isInstanceOf(io.airgap.core.InputException.class)
          .hasMessage("model m has no file notes.txt");
    }
  }

  @Test
  void aSignedFileThatIsNotOnnxIsRefusedByTheRuntime() {
    Path dir = SignedModels.signed(temp.resolve("m"), "not a model".getBytes());
    try (VerifiedModel model = SignedModels.load(dir, work())) {
      assertThatThrownBy(() -> InferenceSession.builder(model).open())
          .isInstanceOf(InferenceException.class)
          .hasMessageStartingWith("ONNX Runtime refused model m (model.onnx): ");
    }
  }

  @Test
  void theModelFileMustBeUnambiguous() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.mlp(), "other.onnx", "x");

    assertThatThrownBy(() -> SignedModels.load(dir, work()))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "model "
                + dir
                + " has several .onnx files [model.onnx, other.onnx]; name the one to load with"
                + " modelFile(...)");
    try (VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(SignedModels.verifier())
            .workDirectory(work())
            .modelFile("model.onnx")
            .load()) {
      assertThat(model.modelFileName()).isEqualTo("model.onnx");
    }
    assertThat(snapshots()).isZero();
  }
}
