package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle format does not drift: a bundle committed under {@code src/test/resources/
 * bundle-format/} must still verify, and bundling the same inputs again with the same Ed25519 key
 * (deterministic signatures) and creation time must give the same bytes. Since verification refuses
 * anything but the exact bytes {@code create} writes (headers, documents, envelope), a change to
 * any of them (a library that formats JSON or tar headers otherwise, say) would make older bundles
 * unverifiable; this test says so before a release does.
 *
 * <p>Regenerate only on a deliberate format change: {@code mvn test -pl airgap-offline-deps
 * -Dtest=BundleFormatTest -Dairgap.regenerateVectors=true}.
 */
class BundleFormatTest {
  private static final Path VECTORS = Path.of("src/test/resources/bundle-format");
  private static final Instant CREATED = Instant.parse("2026-11-27T00:00:00Z");

  @TempDir Path temp;

  @Test
  void theCommittedBundleVerifiesAndTheSameInputsGiveTheSameBytes() throws Exception {
    Lockfile lock = lock();
    SigningKey key = Pem.readSigningKey(VECTORS.resolve("signer.pem"), null);
    Path again = temp.resolve("bundle.tar");
    Bundles.create(
        lock,
        key,
        again,
        BundleOptions.builder().files(temp.resolve("files")).created(CREATED).build());
    if (Boolean.getBoolean("airgap.regenerateVectors")) {
      Files.copy(
          again, VECTORS.resolve("bundle.tar"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    VerifiedBundle committed =
        Bundles.verify(
            VECTORS.resolve("bundle.tar"),
            Pem.readPublicKey(VECTORS.resolve("signer.pub.pem")),
            VerifyOptions.defaults());

    assertThat(key.type()).isEqualTo(KeyType.ED25519);
    assertThat(committed.created()).isEqualTo(CREATED);
    assertThat(committed.artifacts()).isEqualTo(lock.artifacts());
    assertThat(Files.readAllBytes(again))
        .isEqualTo(Files.readAllBytes(VECTORS.resolve("bundle.tar")));
  }

  @Test
  void anEcdsaSignedBundleOfThisFormatVerifies() throws Exception {
    Lockfile lock = lock();
    if (Boolean.getBoolean("airgap.regenerateVectors")) {
      SigningKey ecdsa = Pem.generate(KeyType.ECDSA_P256);
      Bundles.create(
          lock,
          ecdsa,
          VECTORS.resolve("bundle-ecdsa-p256.tar"),
          BundleOptions.builder().files(temp.resolve("files")).created(CREATED).build());
      Files.writeString(VECTORS.resolve("ecdsa-p256.pub.pem"), Pem.publicKeyPem(ecdsa.publicKey()));
    }

    VerifiedBundle committed =
        Bundles.verify(
            VECTORS.resolve("bundle-ecdsa-p256.tar"),
            Pem.readPublicKey(VECTORS.resolve("ecdsa-p256.pub.pem")),
            VerifyOptions.defaults());

    assertThat(committed.created()).isEqualTo(CREATED);
    assertThat(committed.artifacts()).isEqualTo(lock.artifacts());
  }

  @Test
  void theHeaderOfAMemberOverEightGibibytesIsPinned() throws Exception {
    // Sizes from 8 GiB on do not fit the octal field and are written in base-256; verification
    // compares headers byte for byte, so that encoding must not drift either.
    byte[] header = BundleTarWriter.header("blobs/sha256/" + "ab".repeat(32), 10L << 30).array();
    if (Boolean.getBoolean("airgap.regenerateVectors")) {
      Files.write(VECTORS.resolve("header-10GiB.bin"), header);
    }

    assertThat(header).isEqualTo(Files.readAllBytes(VECTORS.resolve("header-10GiB.bin")));
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new java.io.ByteArrayInputStream(header))) {
      assertThat(tar.getNextEntry().getSize()).isEqualTo(10L << 30);
    }
  }

  /** Two small artifacts, locked from a directory mirror made here. */
  private Lockfile lock() throws Exception {
    Path model = Files.createDirectories(temp.resolve("mirror/models/iris/sub"));
    Files.writeString(model.getParent().resolve("model.onnx"), "onnx bytes\n");
    Files.writeString(model.resolve("labels.txt"), "setosa\nversicolor\nvirginica\n");
    Files.writeString(
        Files.createDirectories(temp.resolve("mirror/tokenizer")).resolve("tokenizer.json"),
        "{\"version\": \"1.0\"}\n");
    DependencySpec spec =
        DependencySpec.parse(
            ("{\"schemaVersion\": 1, \"artifacts\": ["
                    + "{\"name\": \"iris\", \"kind\": \"model\", \"source\": {\"type\": \"directory\", \"path\": \"models/iris\"}},"
                    + "{\"name\": \"tokenizer\", \"kind\": \"tokenizer\", \"source\": {\"type\": \"directory\", \"path\": \"tokenizer\"}}]}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            "spec.json");
    return Locker.lock(
        spec, List.of(new DirectoryMirror(temp.resolve("mirror"))), temp.resolve("files"));
  }
}
