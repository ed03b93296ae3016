package io.airgap.inference;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test models written, signed and verified with one key per test class. */
final class SignedModels {
  static final SigningKey KEY = Pem.generate(KeyType.ECDSA_P256);

  private SignedModels() {}

  /** Writes {@code onnx} as {@code dir/model.onnx} (plus extra files) and signs the directory. */
  static Path signed(Path dir, byte[] onnx, String... extraNamesAndContents) {
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve("model.onnx"), onnx);
      for (int i = 0; i < extraNamesAndContents.length; i += 2) {
        Files.writeString(dir.resolve(extraNamesAndContents[i]), extraNamesAndContents[i + 1]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ModelSigner.builder()
        .key(KEY)
        .build()
        .sign(dir, dir.resolve("model.sig"), ModelHasher.builder().build(), List.of());
    return dir;
  }

  static ModelVerifier verifier() {
    return ModelVerifier.builder().publicKey(KEY.publicKey()).build();
  }

  /** Loads a signed model, snapshotting under {@code work}. */
  static VerifiedModel load(Path dir, Path work) {
    return VerifiedModel.builder(dir).verifier(verifier()).workDirectory(work).load();
  }
}
