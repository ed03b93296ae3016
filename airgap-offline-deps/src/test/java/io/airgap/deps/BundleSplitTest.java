package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Split bundles: parts written, reassembled and checked, and all or nothing when cut short. */
class BundleSplitTest extends BundleFixture {
  @Test
  void splitPartsReassembleAndEveryPartIsChecked() throws Exception {
    long size = Files.size(bundle);
    // Where the DSSE signature's bytes lie, for the damaged-signature case below.
    int signatureAt =
        indexOf(Files.readAllBytes(bundle), "\"sig\"".getBytes(StandardCharsets.UTF_8));
    Path first = BundleParts.split(bundle, 1024);
    int parts = (int) ((size + 1023) / 1024);

    assertThat(first.getFileName().toString()).isEqualTo("bundle.tar.part000");
    assertThat(Files.exists(bundle)).isFalse();
    assertThat(Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    ContentStore store = ContentStore.openOrCreate(temp.resolve("store"));
    Bundles.importInto(first, KEY.publicKey(), store, VerifyOptions.defaults());
    assertThat(Resolver.resolve(lock, store)).hasSize(2);

    Path second = temp.resolve("bundle.tar.part002");
    Path third = temp.resolve("bundle.tar.part003");
    byte[] two = Files.readAllBytes(second);
    byte[] three = Files.readAllBytes(third);
    Files.write(second, three);
    Files.write(third, two);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith("part 2 of " + parts + " (bundle.tar.part002) hashes to ");
    Files.write(second, two);
    Files.write(third, Arrays.copyOf(three, three.length - 1));
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage(
            "part 3 of "
                + parts
                + " (bundle.tar.part003) holds 1023 bytes, not 1024 (truncated in transfer?)");
    Files.delete(third);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessage("part 3 of " + parts + " (bundle.tar.part003) is missing");
    // A damaged byte in the signature fails the signature check before the part's digest is
    // reached: the damaged part is named, not a wrong key.
    Files.write(third, three);
    int part = signatureAt / 1024 + 1;
    Path damaged = temp.resolve(String.format("bundle.tar.part%03d", part));
    byte[] bytes = Files.readAllBytes(damaged);
    bytes[signatureAt % 1024 + 10] ^= 0x01;
    Files.write(damaged, bytes);
    assertThatThrownBy(() -> Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith(
            "part " + part + " of " + parts + " (" + damaged.getFileName() + ") hashes to ");
  }

  @Test
  void partsGoWhereTheyAreAskedAndNeverOverAnEarlierSplit() throws Exception {
    Path medium = Files.createDirectories(temp.resolve("medium"));
    Path out = medium.resolve("deployment.tar");

    Path first = BundleParts.split(bundle, 1024, out);

    assertThat(first).isEqualTo(medium.resolve("deployment.tar.part000"));
    assertThat(bundle).doesNotExist();
    assertThat(Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
    Bundles.create(
        lock, KEY, bundle, BundleOptions.builder().files(temp.resolve("scratch")).build());
    try (var before = Files.list(medium)) {
      List<Path> parts = before.sorted().toList();
      assertThatThrownBy(() -> BundleParts.split(bundle, 1024, out))
          .isInstanceOf(io.airgap.core.InputException.class)
          .hasMessageStartingWith(medium + " already holds parts of a bundle deployment.tar [")
          .hasMessageEndingWith("]; remove them or choose another name");
      try (var after = Files.list(medium)) {
        assertThat(after.sorted().toList()).isEqualTo(parts);
      }
    }
    assertThat(bundle).exists();
  }

  @Test
  void aCreateStoppedByASignalLeavesNoTemporaryFile() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work"));
    Process child = ChildJvm.start(CreateMain.class, work.toString());
    java.io.BufferedReader out = ChildJvm.output(child);
    String line;
    while ((line = out.readLine()) != null && !line.equals("writing")) {
      // the child's log lines
    }
    assertThat(line).isEqualTo("writing");
    try (var entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.endsWith(".partial"));
    }

    child.destroy(); // SIGTERM, as Ctrl-C or a service manager sends: shutdown hooks run
    assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).isEqualTo(143);
    try (var entries = Files.list(work)) {
      assertThat(entries.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("files", "mirror");
    }
  }

  /** The names in {@code directory}, sorted. */
  private static List<String> names(Path directory) throws Exception {
    try (var entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void createSplitsFromTheWorkDirectoryAndLeavesOnlyTheParts() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work"));
    Path medium = Files.createDirectories(temp.resolve("medium"));
    long whole = Files.size(bundle);

    Path first =
        Bundles.create(
            lock,
            KEY,
            medium.resolve("b.tar"),
            BundleOptions.builder()
                .files(temp.resolve("scratch"))
                .splitSize(1024)
                .workDirectory(work)
                .build());

    int parts = (int) ((whole + 1023) / 1024);
    assertThat(first).isEqualTo(medium.resolve("b.tar.part000"));
    assertThat(names(medium)).hasSize(parts + 1).allMatch(n -> n.matches("b\\.tar\\.part\\d{3}"));
    assertThat(names(work)).isEmpty();
    assertThat(Bundles.verify(first, KEY.publicKey(), VerifyOptions.defaults()).artifacts())
        .containsExactlyElementsOf(lock.artifacts());
  }

  @Test
  void aFailedSplitLeavesNoPartAndNoWhole() throws Exception {
    Path medium = Files.createDirectories(temp.resolve("medium"));
    Path intruder = medium.resolve("b.tar.part002");
    // Someone else's file appears under the name of a part while the bundle is written.
    Progress intrudes =
        new Progress() {
          @Override
          public void start(String what, long totalBytes) {}

          @Override
          public synchronized void advance(long bytes) {
            try {
              if (!Files.exists(intruder)) {
                Files.writeString(intruder, "not a part");
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          @Override
          public void finish() {}
        };

    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    medium.resolve("b.tar"),
                    BundleOptions.builder()
                        .files(temp.resolve("scratch"))
                        .splitSize(1024)
                        .progress(intrudes)
                        .build()))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessageStartingWith("cannot split " + medium.resolve(".b.tar."))
        .hasMessageEndingWith(".partial: " + intruder);
    assertThat(names(medium)).containsExactly("b.tar.part002");
    assertThat(intruder).hasContent("not a part");
  }

  @Test
  void aCreateThatFailsBeforeTheSplitLeavesNothingInTheWorkDirectory() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work"));
    Path medium = Files.createDirectories(temp.resolve("medium"));
    Files.writeString(temp.resolve("scratch/fraud/model.onnx"), "ONNX BYTES");

    assertThatThrownBy(
            () ->
                Bundles.create(
                    lock,
                    KEY,
                    medium.resolve("b.tar"),
                    BundleOptions.builder()
                        .files(temp.resolve("scratch"))
                        .splitSize(1024)
                        .workDirectory(work)
                        .build()))
        .isInstanceOf(IntegrityException.class)
        .hasMessageStartingWith(temp.resolve("scratch/fraud/model.onnx") + " is 10 bytes with");
    assertThat(names(work)).isEmpty();
    assertThat(names(medium)).isEmpty();
  }

  @Test
  void aSplitCreateStoppedByASignalLeavesNoPartAndNoWhole() throws Exception {
    Path work = Files.createDirectories(temp.resolve("work"));
    Process child = ChildJvm.start(CreateMain.class, work.toString(), "2");
    java.io.BufferedReader out = ChildJvm.output(child);
    String line;
    while ((line = out.readLine()) != null && !line.equals("writing")) {
      // the child's log lines
    }
    assertThat(line).isEqualTo("writing");

    child.destroy(); // SIGTERM: shutdown hooks run
    assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).isEqualTo(143);
    assertThat(names(work)).containsExactly("files", "mirror");
  }
}
