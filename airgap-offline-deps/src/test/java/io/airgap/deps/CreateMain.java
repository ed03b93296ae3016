package io.airgap.deps;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A child process for the interrupted-create tests: bundles a small model in WORK (split into parts
 * of PART_SIZE bytes when given) and, once the first bytes are written, says {@code writing} and
 * waits to be stopped.
 */
public final class CreateMain {
  private CreateMain() {}

  /** Arguments: WORK [PART_SIZE]. */
  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    Files.writeString(
        Files.createDirectories(work.resolve("mirror/m")).resolve("w.bin"), "weights");
    Lockfile lock =
        Locker.lock(
            DependencySpec.parse(
                ("{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"m\", \"kind\": \"model\","
                        + " \"source\": {\"type\": \"directory\", \"path\": \"m\"}}]}")
                    .getBytes(StandardCharsets.UTF_8),
                "spec.json"),
            List.of(new DirectoryMirror(work.resolve("mirror"))),
            work.resolve("files"));
    Progress stalls =
        new Progress() {
          @Override
          public void start(String what, long totalBytes) {}

          @Override
          public void advance(long bytes) {
            System.out.println("writing");
            System.out.flush();
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void finish() {}
        };
    BundleOptions.Builder options =
        BundleOptions.builder().files(work.resolve("files")).progress(stalls);
    if (args.length > 1) {
      options.splitSize(Long.parseLong(args[1]));
    }
    Bundles.create(lock, Pem.generate(KeyType.ED25519), work.resolve("b.tar"), options.build());
  }
}
