package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.InputException;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.testing.TestCertificates;
import io.airgap.core.testing.TestCertificates.Issued;
import io.airgap.core.testing.TestCertificates.Usage;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the signer writes, the verifier accepts, for every key type, method and hash. */
class SigningRoundTripTest {
  private static final Clock IN_2026 =
      Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path temp;

  private static ModelSigner signer(SigningKey key) {
    return ModelSigner.builder().key(key).allowEd25519(true).build();
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void everyKeyTypeSignsAndVerifies(KeyType type) {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(type);

    signer(key).sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());
    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .verify(model, model.resolve("model.sig"));

    assertThat(report.resourcesChecked()).isEqualTo(3);
    assertThat(report.signer())
        .isEqualTo("key " + Pem.hint(key.publicKey()) + " (" + type.cliName() + ")");
  }

  @Test
  void signerNamesTheModelWhenTold() {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    ModelSigner.builder()
        .key(key)
        .modelName("fraud/detector")
        .build()
        .sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());

    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .verify(model, model.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo("fraud/detector");
    assertThat(
            signer(key)
                .sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of())
                .envelope()
                .payload())
        .asString()
        .contains("\"name\": \"model\"");
  }

  @Test
  void badModelNamesAreRefused() {
    ModelSigner.Builder builder = ModelSigner.builder();
    assertThatThrownBy(() -> builder.modelName(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model name '' is empty");
    assertThatThrownBy(() -> builder.modelName(" fraud"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model name ' fraud' starts or ends with a space");
    assertThatThrownBy(() -> builder.modelName("fraud\ndetector"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model name 'fraud\ndetector' holds a control character");
    assertThatThrownBy(() -> builder.modelName("m".repeat(257)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model name '" + "m".repeat(257) + "' is longer than 256 characters");
  }

  @ParameterizedTest
  @EnumSource(HashAlgorithm.class)
  void shardsWithEveryHashRoundTrip(HashAlgorithm algorithm) throws Exception {
    Path model = TestModels.smallModel(temp);
    TestModels.write(model, "empty.bin", "");
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    ModelHasher hasher =
        ModelHasher.builder()
            .method(SerializationMethod.SHARDS)
            .shardSize(300)
            .hashAlgorithm(algorithm)
            .build();

    signer(key).sign(model, temp.resolve("outside.sig"), hasher, List.of());
    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .verify(model, temp.resolve("outside.sig"));

    // config.json: 1 shard, part-1: 1000 bytes = 4 shards, part-2: 370 bytes = 2, empty: 1.
    assertThat(report.resourcesChecked()).isEqualTo(8);
    assertThat(report.hashAlgorithm()).isEqualTo(algorithm);
    String statement =
        new String(BundleCodec.read(temp.resolve("outside.sig"), 1 << 20).envelope().payload());
    assertThat(statement)
        .contains("\"name\": \"weights/part-1.bin:900:1000\"")
        .contains("\"name\": \"empty.bin:0:0\"")
        .contains("\"algorithm\": \"" + algorithm.omsName() + "-sharded-300\"")
        .contains("\"shard_size\": 300");
  }

  @Test
  void truncatedFileIsReportedWithItsShards() throws Exception {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    ModelHasher hasher =
        ModelHasher.builder().method(SerializationMethod.SHARDS).shardSize(300).build();
    signer(key).sign(model, model.resolve("model.sig"), hasher, List.of());
    Path part = model.resolve("weights/part-1.bin");
    Files.write(part, Files.readAllBytes(part), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    try (var channel =
        java.nio.channels.FileChannel.open(part, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(650);
    }

    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .check(model, model.resolve("model.sig"));

    assertThat(report.modifiedFiles()).containsExactly("weights/part-1.bin");
    assertThat(report.mismatchedShards())
        .containsExactly(
            "weights/part-1.bin:600:900",
            "weights/part-1.bin:900:1000",
            "weights/part-1.bin:600:650");
  }

  @Test
  void signatureInsideTheModelIsLeftOutAndRecorded() throws Exception {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P384);
    Files.createDirectories(model.resolve("sigs"));

    SignatureBundle bundle =
        signer(key)
            .sign(
                model,
                model.resolve("sigs/model.sig"),
                ModelHasher.builder().build(),
                List.of("weights/part-2.bin"));

    String statement = new String(bundle.envelope().payload());
    assertThat(statement)
        .contains(
            "\"ignore_paths\": [\n        \".git\",\n        \".gitattributes\",\n"
                + "        \".github\",\n        \".gitignore\",\n        \"sigs/model.sig\",\n"
                + "        \"weights/part-2.bin\"\n      ]")
        .doesNotContain("\"name\": \"weights/part-2.bin\"");
    assertThat(Files.readAllBytes(model.resolve("sigs/model.sig")))
        .isEqualTo(BundleCodec.write(bundle));
  }

  @Test
  void p256SignatureFailsAgainstAP384Key() {
    Path model = TestModels.smallModel(temp);
    SigningKey p256 = Pem.generate(KeyType.ECDSA_P256);
    SigningKey p384 = Pem.generate(KeyType.ECDSA_P384);
    signer(p256).sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());

    assertThatThrownBy(
            () ->
                ModelVerifier.builder()
                    .publicKey(p384.publicKey())
                    .build()
                    .check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "signature file "
                + model.resolve("model.sig")
                + " was signed by the key with hint "
                + Pem.hint(p256.publicKey())
                + ", not by the given key "
                + Pem.hint(p384.publicKey())
                + " (ecdsa-p384)");
  }

  @Test
  void ed25519NeedsExplicitOptIn() {
    SigningKey key = Pem.generate(KeyType.ED25519);

    assertThatThrownBy(() -> ModelSigner.builder().key(key).build())
        .isInstanceOf(io.airgap.core.AirgapException.class)
        .hasMessageStartingWith("Ed25519 signatures are an airgap extension");
  }

  @Test
  void certificateMethodRoundTripsThroughAnIntermediate() {
    Path model = TestModels.smallModel(temp);
    Issued root = TestCertificates.rootCa("root");
    Issued intermediate = TestCertificates.intermediateCa("intermediate", root);
    Issued leaf = TestCertificates.leaf("signer", intermediate);

    ModelSigner.builder()
        .key(leaf.key())
        .certificate(leaf.certificate(), List.of(intermediate.certificate()))
        .build()
        .sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());
    VerificationReport report =
        ModelVerifier.builder()
            .trustAnchors(List.of(root.certificate()))
            .clock(IN_2026)
            .build()
            .verify(model, model.resolve("model.sig"));

    assertThat(report.signer()).isEqualTo("certificate CN=signer (issuer CN=intermediate)");
  }

  @Test
  void codeSigningExtendedKeyUsageIsEnough() {
    Path model = TestModels.smallModel(temp);
    Issued root = TestCertificates.rootCa("root");
    Issued leaf =
        TestCertificates.leaf(
            "builder",
            KeyType.ECDSA_P384,
            root,
            Usage.CODE_SIGNING_ONLY,
            TestCertificates.NOT_BEFORE,
            TestCertificates.NOT_AFTER);

    signWithCertificate(model, leaf, List.of());

    assertThat(anchoredAt(root, IN_2026).verify(model, model.resolve("model.sig")).verified())
        .isTrue();
  }

  @Test
  void leafThatMayNotSignIsRefused() {
    assertLeafRefused(
        "encryptor",
        Usage.KEY_ENCIPHERMENT_ONLY,
        TestCertificates.NOT_BEFORE,
        "certificate CN=encryptor may not sign: its key usage does not include"
            + " digitalSignature");
  }

  @Test
  void tlsServerCertificateMayNotSignModels() {
    assertLeafRefused(
        "www.example.org",
        Usage.TLS_SERVER,
        TestCertificates.NOT_BEFORE,
        "certificate CN=www.example.org may not sign: its extended key usage does not include"
            + " codeSigning");
  }

  @Test
  void notYetValidLeafIsRefused() {
    assertLeafRefused(
        "future",
        Usage.DIGITAL_SIGNATURE,
        Instant.parse("2026-09-01T00:00:00Z"),
        "certificate CN=future is not valid before 2026-09-01T00:00:00Z"
            + " (verification time 2026-06-01T00:00:00Z)");
  }

  /** Signs with a P-256 leaf issued directly by a root, and expects verification to refuse it. */
  private void assertLeafRefused(
      String commonName, Usage usage, Instant notBefore, String expectedMessage) {
    Path model = TestModels.smallModel(temp);
    Issued root = TestCertificates.rootCa("root");
    Issued leaf =
        TestCertificates.leaf(
            commonName, KeyType.ECDSA_P256, root, usage, notBefore, TestCertificates.NOT_AFTER);
    signWithCertificate(model, leaf, List.of());

    assertThatThrownBy(() -> anchoredAt(root, IN_2026).check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessage(expectedMessage);
  }

  @Test
  void chainMissingItsIntermediateDoesNotReachTheAnchor() {
    Path model = TestModels.smallModel(temp);
    Issued root = TestCertificates.rootCa("root");
    Issued intermediate = TestCertificates.intermediateCa("intermediate", root);
    Issued leaf = TestCertificates.leaf("signer", intermediate);
    signWithCertificate(model, leaf, List.of());

    assertThatThrownBy(() -> anchoredAt(root, IN_2026).check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "the certificate chain of CN=signer does not reach a trust anchor: no certificate"
                + " given for the issuer CN=intermediate of CN=signer");
  }

  @Test
  void certificateForAnotherKeyIsRefusedAtSigning() {
    Issued root = TestCertificates.rootCa("root");
    Issued leaf = TestCertificates.leaf("signer", root);

    assertThatThrownBy(
            () ->
                ModelSigner.builder()
                    .key(Pem.generate(KeyType.ECDSA_P256))
                    .certificate(leaf.certificate(), List.of())
                    .build())
        .isInstanceOf(io.airgap.core.AirgapException.class)
        .hasMessage(
            "the signing certificate CN=signer is for another key than the private key given");
  }

  @Test
  void failedSigningLeavesThePreviousSignatureUntouched() throws Exception {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Path signature = model.resolve("model.sig");
    signer(key).sign(model, signature, ModelHasher.builder().build(), List.of());
    byte[] before = Files.readAllBytes(signature);
    Files.createSymbolicLink(model.resolve("link"), model.resolve("config.json"));

    assertThatThrownBy(
            () -> signer(key).sign(model, signature, ModelHasher.builder().build(), List.of()))
        .isInstanceOf(InputException.class)
        .hasMessage("'link' is a symbolic link; links are refused unless allowed (allowSymlinks)");
    assertThat(Files.readAllBytes(signature)).isEqualTo(before);
    try (var files = Files.list(model)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("config.json", "weights", "model.sig", "link");
    }
  }

  private static void signWithCertificate(
      Path model, Issued leaf, List<java.security.cert.X509Certificate> chain) {
    ModelSigner.builder()
        .key(leaf.key())
        .certificate(leaf.certificate(), chain)
        .build()
        .sign(model, model.resolve("model.sig"), ModelHasher.builder().build(), List.of());
  }

  private static ModelVerifier anchoredAt(Issued root, Clock clock) {
    return ModelVerifier.builder().trustAnchors(List.of(root.certificate())).clock(clock).build();
  }
}
