package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An import killed with SIGKILL at many points leaves the store as it was or complete: the index
 * never names a blob that is not there, and the next import finishes and cleans up.
 */
class InterruptedImportTest {
  @TempDir Path temp;

  @Test
  void aKilledImportLeavesTheStoreUnchangedOrComplete() throws Exception {
    Path mirror = Files.createDirectories(temp.resolve("mirror/big"));
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 4; i++) {
      byte[] data = new byte[8 << 20];
      for (int j = 0; j < data.length; j += 8) {
        long v = random.nextLong();
        for (int k = 0; k < 8; k++) {
          data[j + k] = (byte) (v >>> (8 * k));
        }
      }
      Files.write(mirror.resolve("part" + i + ".bin"), data);
    }
    Lockfile lock =
        Locker.lock(
            DependencySpec.parse(
                ("{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"big\", \"kind\": \"file\","
                        + " \"source\": {\"type\": \"directory\", \"path\": \"big\"}}]}")
                    .getBytes(StandardCharsets.UTF_8),
                "spec.json"),
            List.of(new DirectoryMirror(temp.resolve("mirror"))),
            temp.resolve("scratch"));
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Bundles.create(
        lock,
        key,
        temp.resolve("b.tar"),
        BundleOptions.builder().files(temp.resolve("scratch")).build());
    Path store = temp.resolve("store");
    ContentStore.openOrCreate(store);
    String publicKey = Base64.getEncoder().encodeToString(key.publicKey().getEncoded());
    int[] delays = {30, 80, 150, 250, 400, 600};

    for (int delay : delays) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  ChildJvm.classPath(),
                  ImportMain.class.getName(),
                  temp.resolve("b.tar").toString(),
                  store.toString(),
                  publicKey)
              .redirectErrorStream(true)
              .redirectOutput(temp.resolve("child.log").toFile())
              .start();
      Thread.sleep(delay);
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
      child.waitFor(30, TimeUnit.SECONDS);

      ContentStore after = ContentStore.openOrCreate(store);
      assertThat(after.check()).as("after a kill at %d ms", delay).isEmpty();
      assertThat(after.list()).as("after a kill at %d ms", delay).isIn(List.of(), lock.artifacts());
    }

    ContentStore finished = ContentStore.openOrCreate(store);
    Bundles.importInto(temp.resolve("b.tar"), key.publicKey(), finished, VerifyOptions.defaults());
    assertThat(Resolver.resolve(lock, finished)).isEqualTo(lock.artifacts());
    assertThat(finished.check()).isEmpty();
    try (Stream<Path> entries = Files.list(store)) {
      assertThat(
              entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".staging-")))
          .isEmpty();
    }
  }
}
