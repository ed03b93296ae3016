package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Importing into the store at a path: created when absent, and removed again when it fails. */
class NewStoreImportTest extends BundleFixture {
  /** The bundle with one byte of the model flipped. */
  private Path corrupted() throws Exception {
    byte[] bytes = Files.readAllBytes(bundle);
    bytes[indexOf(bytes, "onnx bytes".getBytes(StandardCharsets.UTF_8))] ^= 1;
    return Files.write(temp.resolve("corrupt.tar"), bytes);
  }

  /** The names in {@code directory}, sorted. */
  private static List<String> names(Path directory) throws Exception {
    try (var entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void anImportIntoANewPathCreatesTheStoreAndItsParents() {
    Path root = temp.resolve("srv/airgap/store");

    VerifiedBundle imported =
        Bundles.importInto(bundle, KEY.publicKey(), root, VerifyOptions.defaults());

    assertThat(imported.artifacts()).containsExactlyElementsOf(lock.artifacts());
    ContentStore store = ContentStore.open(root);
    assertThat(Resolver.resolve(lock, store)).containsExactlyElementsOf(lock.artifacts());
    assertThat(store.check()).isEmpty();
  }

  @Test
  void aFailedImportIntoANewPathLeavesNoDirectory() throws Exception {
    Path corrupt = corrupted();

    assertThatThrownBy(
            () ->
                Bundles.importInto(
                    corrupt,
                    KEY.publicKey(),
                    temp.resolve("srv/airgap/store"),
                    VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageContaining("(model.onnx) holds 10 bytes hashing to");
    assertThat(temp.resolve("srv")).doesNotExist();
  }

  @Test
  void aRefusedImportIntoAnExistingStoreKeepsTheStore() throws Exception {
    Path root = temp.resolve("store");
    Bundles.importInto(bundle, KEY.publicKey(), root, VerifyOptions.defaults());
    Path stranger = Files.createDirectories(temp.resolve("stranger"));
    Bundles.create(
        lock,
        Pem.generate(KeyType.ECDSA_P256),
        stranger.resolve("b.tar"),
        BundleOptions.builder().files(temp.resolve("scratch")).build());

    assertThatThrownBy(
            () ->
                Bundles.importInto(
                    stranger.resolve("b.tar"), KEY.publicKey(), root, VerifyOptions.defaults()))
        .isInstanceOf(SignatureException.class);
    assertThat(ContentStore.open(root).list()).containsExactlyElementsOf(lock.artifacts());
  }

  @Test
  void aRefusedImportIntoAnEmptyStoreThatExistedKeepsIt() throws Exception {
    Path root = ContentStore.openOrCreate(temp.resolve("store")).root();

    assertThatThrownBy(
            () -> Bundles.importInto(corrupted(), KEY.publicKey(), root, VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class);
    assertThat(ContentStore.open(root).list()).isEmpty();
  }

  /** Starts an import of the bundle into {@code root} in a child JVM and waits until it reads. */
  private Process stalledImport(Path root) throws Exception {
    Process child =
        ChildJvm.start(
            StalledImportMain.class,
            bundle.toString(),
            root.toString(),
            Base64.getEncoder().encodeToString(KEY.publicKey().getEncoded()));
    java.io.BufferedReader out = ChildJvm.output(child);
    String line;
    while ((line = out.readLine()) != null && !line.equals("reading")) {
      // the child's log lines
    }
    assertThat(line).isEqualTo("reading");
    return child;
  }

  @Test
  void anImportIntoANewPathStoppedByASignalLeavesNoDirectory() throws Exception {
    Process child = stalledImport(temp.resolve("srv/store"));
    assertThat(names(temp.resolve("srv/store"))).anyMatch(n -> n.startsWith(".staging-"));

    child.destroy(); // SIGTERM, as Ctrl-C or a service manager sends: shutdown hooks run
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).isEqualTo(143);
    assertThat(temp.resolve("srv")).doesNotExist();
  }

  @Test
  void anImportIntoAnExistingStoreStoppedByASignalLeavesNoStaging() throws Exception {
    Path root = ContentStore.openOrCreate(temp.resolve("store")).root();
    Process child = stalledImport(root);

    child.destroy();
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).isEqualTo(143);
    assertThat(names(root)).noneMatch(n -> n.startsWith(".staging-"));
    assertThat(ContentStore.open(root).list()).isEmpty();
  }
}
