package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snapshot copies what the loader decided the model is: a model swapped between a file and a
 * directory after that decision is refused, never copied as the other kind.
 */
class ModelSnapshotTest {
  @TempDir Path temp;

  @Test
  void aFileSwappedForADirectoryIsRefused() throws Exception {
    // Decided: one file. Found: a directory holding a signed file and an unsigned model.
    Path swapped = Files.createDirectories(temp.resolve("m.onnx"));
    Files.writeString(swapped.resolve("a.bin"), "signed bytes");
    Files.writeString(swapped.resolve("z.onnx"), "unsigned model");

    assertThatThrownBy(
            () -> ModelSnapshot.copyModel(swapped, false, temp.resolve("copy"), List.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(swapped + " is not a regular file");
    assertThat(temp.resolve("copy/z.onnx")).doesNotExist();
  }

  @Test
  void aDirectorySwappedForAFileIsRefused() throws Exception {
    Path swapped = Files.writeString(temp.resolve("model"), "one file");

    assertThatThrownBy(
            () -> ModelSnapshot.copyModel(swapped, true, temp.resolve("copy"), List.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(swapped + " changed from a directory to a file while it was loaded");
  }

  @Test
  void aSingleFileIsCopiedUnderItsName() throws Exception {
    Path file = Files.writeString(temp.resolve("m.onnx"), "model bytes");

    List<String> names = ModelSnapshot.copyModel(file, false, temp.resolve("copy"), List.of());

    assertThat(names).containsExactly("m.onnx");
    assertThat(temp.resolve("copy/m.onnx")).hasContent("model bytes");
  }

  @Test
  void aModelSignedWithLinksLoadsWithTheLinkedBytesCopied() throws Exception {
    Path dir = Files.createDirectories(temp.resolve("linked"));
    Files.write(dir.resolve("model.onnx"), OnnxModels.mlp());
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/vocab-v2.txt"), "a b c");
    Files.createSymbolicLink(dir.resolve("vocab.txt"), Path.of("data/vocab-v2.txt"));
    io.airgap.core.signing.ModelSigner.builder()
        .key(SignedModels.KEY)
        .build()
        .sign(
            dir,
            dir.resolve("model.sig"),
            io.airgap.core.manifest.ModelHasher.builder().allowSymlinks(true).build(),
            List.of());

    try (VerifiedModel model = SignedModels.load(dir, temp.resolve("w"))) {
      Path copy = model.file("vocab.txt");
      assertThat(Files.isSymbolicLink(copy)).isFalse();
      assertThat(copy).hasContent("a b c");
    }
  }

  @Test
  void whatTheSignatureIgnoresIsNotCopied() throws Exception {
    // A git checkout: .git (ignored when signing) may hold links and a second copy of the weights.
    Path dir = temp.resolve("checkout");
    Files.createDirectories(dir.resolve(".git/lfs/objects"));
    Files.writeString(dir.resolve(".git/lfs/objects/weights"), "second copy");
    Files.createSymbolicLink(dir.resolve(".git/HEAD.lnk"), Path.of("/etc/passwd"));
    SignedModels.signed(dir, OnnxModels.mlp());

    try (VerifiedModel model = SignedModels.load(dir, temp.resolve("w"))) {
      assertThat(model.hasFile("model.onnx")).isTrue();
      assertThat(model.modelFile().getParent().resolve(".git")).doesNotExist();
    }
  }

  @Test
  void copyRulesComeFromEverySignature() throws Exception {
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.mlp());
    Path other = temp.resolve("other.sig");
    io.airgap.core.signing.ModelSigner.builder()
        .key(SignedModels.KEY)
        .build()
        .sign(
            dir,
            other,
            io.airgap.core.manifest.ModelHasher.builder().allowSymlinks(true).build(),
            List.of("extra.txt"));

    ModelSnapshot.CopyRules one = ModelSnapshot.rules(List.of(dir.resolve("model.sig")));
    ModelSnapshot.CopyRules both = ModelSnapshot.rules(List.of(dir.resolve("model.sig"), other));

    assertThat(one.ignored()).contains(".git").doesNotContain("extra.txt");
    assertThat(one.followLinks()).isFalse();
    assertThat(both.ignored()).contains(".git").doesNotContain("extra.txt");
    assertThat(both.followLinks()).isFalse(); // one signature refusing links keeps them refused
    assertThat(ModelSnapshot.rules(List.of(other)).followLinks()).isTrue();
    Files.writeString(temp.resolve("bad.sig"), "{");
    assertThat(ModelSnapshot.rules(List.of(temp.resolve("bad.sig"))))
        .isEqualTo(ModelSnapshot.CopyRules.STRICT);
  }
}
