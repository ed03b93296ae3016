package io.airgap.deps;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * A child process for the stopped-import tests: imports a bundle into the store at a path and, once
 * the first bytes are read, says {@code reading} and waits to be stopped.
 */
public final class StalledImportMain {
  private StalledImportMain() {}

  /** Arguments: BUNDLE STORE BASE64_X509_EC_PUBLIC_KEY. */
  public static void main(String[] args) throws Exception {
    PublicKey key =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(args[2])));
    Progress stalls =
        new Progress() {
          @Override
          public void start(String what, long totalBytes) {}

          @Override
          public void advance(long bytes) {
            System.out.println("reading");
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
    Bundles.importInto(
        Path.of(args[0]), key, Path.of(args[1]), VerifyOptions.builder().progress(stalls).build());
  }
}
