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
}
