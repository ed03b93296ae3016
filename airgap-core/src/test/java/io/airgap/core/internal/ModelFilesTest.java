package io.airgap.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.airgap.core.InputException;
import io.airgap.core.manifest.ModelFile;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a model directory is listed: which files, under which names, in which order. */
class ModelFilesTest {
  @TempDir Path temp;

  private static List<String> names(List<ModelFile> files) {
    return files.stream().map(ModelFile::name).toList();
  }

  @Test
  void listsRegularFilesSortedByCodePoint() {
    Path model = temp.resolve("m");
    for (String name : List.of("b", "a.txt", "a/b", "\uE000", "\uD83D\uDE00", "A")) {
      TestModels.write(model, name, name);
    }

    List<ModelFile> files = ModelFiles.list(model, Set.of(), false);

    // UTF-16 order would put U+1F600 (a surrogate pair) before U+E000; code point order does not.
    assertThat(names(files)).containsExactly("A", "a.txt", "a/b", "b", "\uE000", "\uD83D\uDE00");
  }

  @Test
  void ignoredDirectoryExcludesItsSubtreeAndIgnoresAreExact() {
    Path model = temp.resolve("m");
    TestModels.write(model, ".git/HEAD", "ref");
    TestModels.write(model, "sub/.git/HEAD", "ref");
    TestModels.write(model, "cache/x/y.bin", "y");
    TestModels.write(model, "cache.bin", "c");

    List<ModelFile> files = ModelFiles.list(model, Set.of(".git", "cache"), false);

    assertThat(names(files)).containsExactly("cache.bin", "sub/.git/HEAD");
  }

  @Test
  void symlinkIsRefusedUnlessAllowed() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "real.bin", "r");
    Files.createSymbolicLink(model.resolve("alias.bin"), model.resolve("real.bin"));

    assertThatThrownBy(() -> ModelFiles.list(model, Set.of(), false))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "'alias.bin' is a symbolic link; links are refused unless allowed (allowSymlinks)");
    assertThat(names(ModelFiles.list(model, Set.of(), true)))
        .containsExactly("alias.bin", "real.bin");
  }

  @Test
  void allowedSymlinkMustStayInsideTheModel() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "real.bin", "r");
    Path outside = TestModels.write(temp, "secret", "s");
    Files.createSymbolicLink(model.resolve("escape"), outside);

    assertThatThrownBy(() -> ModelFiles.list(model, Set.of(), true))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "'escape' is a symbolic link that points outside the model, to "
                + outside.toRealPath());
  }

  @Test
  void symlinkCycleIsAnError() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "d/file", "f");
    Files.createSymbolicLink(model.resolve("d/loop"), model.resolve("d"));

    assertThatThrownBy(() -> ModelFiles.list(model, Set.of(), true))
        .isInstanceOf(InputException.class)
        .hasMessage("'d/loop' is a symbolic link that leads back to a directory above it");
  }

  @Test
  void fifoIsAnError() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "real.bin", "r");
    int status = new ProcessBuilder("mkfifo", model.resolve("pipe").toString()).start().waitFor();
    assumeThat(status).as("mkfifo available").isZero();

    assertThatThrownBy(() -> ModelFiles.list(model, Set.of(), false))
        .isInstanceOf(InputException.class)
        .hasMessage("'pipe' is not a regular file or directory (a socket, FIFO or device)");
  }

  @Test
  void modelWithNothingLeftCannotBeSigned() {
    Path model = temp.resolve("m");
    TestModels.write(model, ".git/HEAD", "ref");

    assertThatThrownBy(() -> ModelHasher.builder().build().hash(model, List.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(
            model
                + " holds no file to sign (after leaving out [.git, .gitattributes, .github,"
                + " .gitignore])");
  }

  @Test
  void tinyShardsOnALargeModelAreRefusedBeforeHashing() throws Exception {
    Path model = temp.resolve("m");
    Path big = TestModels.write(model, "big.bin", "");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      file.setLength(2_000_001);
    }
    ModelHasher hasher =
        ModelHasher.builder().method(SerializationMethod.SHARDS).shardSize(2).build();

    assertThatThrownBy(() -> hasher.hash(model, List.of()))
        .isInstanceOf(InputException.class)
        .hasMessage(
            "the model would have 1000001 resources, more than the limit of 1000000; use a larger"
                + " shard size than 2");
  }

  @Test
  void singleFileIsNamedDot() {
    Path file = TestModels.write(temp, "model.onnx", "onnx");

    assertThat(ModelFiles.list(file, Set.of(), false)).containsExactly(new ModelFile(".", file, 4));
  }

  @Test
  void missingModelIsAnInputError() {
    assertThatThrownBy(() -> ModelFiles.list(temp.resolve("absent"), Set.of(), false))
        .isInstanceOf(InputException.class)
        .hasMessage(temp.resolve("absent") + " does not exist");
  }

  @Test
  void relativeNameIsPosixAndEmptyOutsideTheModel() {
    Path model = temp.resolve("m");

    assertThat(ModelFiles.relativeName(model, model.resolve("a/b.sig"))).contains("a/b.sig");
    assertThat(ModelFiles.relativeName(model, temp.resolve("m.sig"))).isEmpty();
    assertThat(ModelFiles.relativeName(model, model)).isEmpty();
  }

  @Test
  void findRefusesALinkedDirectoryThatLeavesTheModel() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "a.bin", "a");
    TestModels.write(temp, "outside/secret.bin", "s");
    Files.createSymbolicLink(model.resolve("sub"), temp.resolve("outside"));
    List<ModelFiles.Refusal> allowed = new java.util.ArrayList<>();
    List<ModelFiles.Refusal> refused = new java.util.ArrayList<>();

    assertThat(ModelFiles.find(model, "sub/secret.bin", true, allowed)).isEmpty();
    assertThat(ModelFiles.find(model, "sub/secret.bin", false, refused)).isEmpty();
    assertThat(ModelFiles.find(model, "a.bin/x", false, refused)).isEmpty();

    assertThat(allowed)
        .containsExactly(
            new ModelFiles.Refusal(
                "sub",
                "is a symbolic link that points outside the model, to "
                    + temp.resolve("outside").toRealPath()));
    assertThat(refused)
        .extracting(ModelFiles.Refusal::message)
        .containsExactly(
            "'sub' is a symbolic link; links are refused unless allowed (allowSymlinks)");
  }

  @Test
  void relativeNameSeesThroughALinkedModelPath() throws Exception {
    Path real = Files.createDirectories(temp.resolve("v3"));
    Path current = Files.createSymbolicLink(temp.resolve("current"), real);

    assertThat(ModelFiles.relativeName(current, real.resolve("model.sig"))).contains("model.sig");
    assertThat(ModelFiles.relativeName(real, current.resolve("sub/x.sig"))).contains("sub/x.sig");
  }

  @Test
  void namesEqualAfterNfcNormalisationAreRefused() {
    Path model = temp.resolve("m");
    TestModels.write(model, "caf\u00e9.bin", "nfc");
    TestModels.write(model, "cafe\u0301.bin", "nfd");

    ModelFiles.Listing listing = ModelFiles.scan(model, Set.of(), false);

    assertThat(names(listing.files())).containsExactly("cafe\u0301.bin");
    assertThat(listing.refused())
        .extracting(ModelFiles.Refusal::message)
        .containsExactly(
            "'caf\u00e9.bin' has the same name as 'cafe\u0301.bin' after Unicode NFC normalisation");
  }

  @Test
  void scanReportsEveryRefusedEntryAndKeepsTheFiles() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "good.bin", "g");
    TestModels.write(model, "back\\slash.bin", "b");
    Files.createSymbolicLink(model.resolve("link"), model.resolve("good.bin"));

    ModelFiles.Listing listing = ModelFiles.scan(model, Set.of(), false);

    assertThat(names(listing.files())).containsExactly("good.bin");
    assertThat(listing.refused())
        .extracting(ModelFiles.Refusal::message)
        .containsExactlyInAnyOrder(
            "'back\\slash.bin' is not a valid model file name: it contains a backslash",
            "'link' is a symbolic link; links are refused unless allowed (allowSymlinks)");
  }
}
