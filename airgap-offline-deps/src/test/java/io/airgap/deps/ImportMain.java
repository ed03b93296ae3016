package io.airgap.deps;

import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** A child process for the interrupted-import test: imports a bundle, then exits 0. */
public final class ImportMain {
  private ImportMain() {}

  /** Arguments: BUNDLE STORE BASE64_X509_EC_PUBLIC_KEY. */
  public static void main(String[] args) throws Exception {
    PublicKey key =
        KeyFactory.getInstance("EC")
            .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(args[2])));
    Bundles.importInto(
        Path.of(args[0]),
        key,
        ContentStore.openOrCreate(Path.of(args[1])),
        VerifyOptions.defaults());
  }
}
