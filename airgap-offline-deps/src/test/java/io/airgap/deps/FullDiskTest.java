package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.airgap.core.InputException;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up during an import leaves the store as it was. */
class FullDiskTest {
  @TempDir Path temp;

  @Test
  void aFullDiskDuringImportChangesNothing() throws Exception {
    // A 4 MiB tmpfs for the store: mounting needs root with CAP_SYS_ADMIN (the CI container has
    // it).
    Path mount = Files.createDirectory(temp.resolve("small"));
    Process mounted =
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())
            .redirectErrorStream(true)
            .start();
    assumeTrue(
        mounted.waitFor(10, TimeUnit.SECONDS) && mounted.exitValue() == 0,
        "cannot mount tmpfs here");
    try {
      Path mirror = Files.createDirectories(temp.resolve("mirror"));
      Files.write(
          Files.createDirectories(mirror.resolve("small")).resolve("a.bin"), new byte[1 << 20]);
      Files.write(
          Files.createDirectories(mirror.resolve("big")).resolve("b.bin"), new byte[8 << 20]);
      SigningKey key = Pem.generate(KeyType.ECDSA_P256);
      Lockfile small = lock("small", mirror);
      Bundles.create(
          small,
          key,
          temp.resolve("small.tar"),
          BundleOptions.builder().files(temp.resolve("scratch")).build());
      Lockfile big = lock("big", mirror);
      Bundles.create(
          big,
          key,
          temp.resolve("big.tar"),
          BundleOptions.builder().files(temp.resolve("scratch")).build());
      ContentStore store = ContentStore.openOrCreate(mount.resolve("store"));
      Bundles.importInto(
          temp.resolve("small.tar"), key.publicKey(), store, VerifyOptions.defaults());

      assertThatThrownBy(
              () ->
                  Bundles.importInto(
                      temp.resolve("big.tar"), key.publicKey(), store, VerifyOptions.defaults()))
          .isInstanceOf(InputException.class)
          .hasMessageContaining("No space left on device")
          .hasMessageEndingWith("nothing was imported, the store is unchanged");

      assertThat(store.list()).isEqualTo(small.artifacts());
      assertThat(store.check()).isEmpty();
      try (Stream<Path> entries = Files.list(store.root())) {
        assertThat(
                entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".staging")))
            .isEmpty();
      }
    } finally {
      new ProcessBuilder("umount", mount.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Lockfile lock(String name, Path mirror) {
    return Locker.lock(
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \""
                    + name
                    + "\", \"kind\": \"file\","
                    + " \"source\": {\"type\": \"directory\", \"path\": \""
                    + name
                    + "\"}}]}")
                .getBytes(StandardCharsets.UTF_8),
            "spec.json"),
        List.of(new DirectoryMirror(mirror)),
        temp.resolve("scratch"));
  }
}
