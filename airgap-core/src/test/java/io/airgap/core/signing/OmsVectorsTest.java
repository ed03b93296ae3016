package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.testing.TestCertificates;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Signatures made by the Python model_signing tool verify, and tampered copies fail. */
class OmsVectorsTest {
  private static final Path VECTORS = TestModels.resource("oms-model-transparency");
  private static final String KEY_HINT =
      "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e";
  private static final Clock IN_2026 =
      Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir Path temp;

  private static PublicKey vectorKey() {
    return Pem.readPublicKey(VECTORS.resolve("keys/signing-key-pub.pem"));
  }

  private static ModelVerifier keyVerifier() {
    return ModelVerifier.builder().publicKey(vectorKey()).ignorePaths(List.of("ignore-me")).build();
  }

  private static ModelVerifier certificateVerifier(Clock clock) {
    return ModelVerifier.builder()
        .trustAnchors(Pem.readCertificates(VECTORS.resolve("keys/ca-cert.pem")))
        .clock(clock)
        .ignorePaths(List.of("ignore-me"))
        .build();
  }

  @Test
  void vectorKeyHasTheHintModelSigningWrote() {
    assertThat(Pem.hint(vectorKey())).isEqualTo(KEY_HINT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.0.1-elliptic-key"})
  void keyMethodVectorsVerify(String name) {
    Path model = VECTORS.resolve(name);

    VerificationReport report = keyVerifier().verify(model, model.resolve("model.sig"));

    assertThat(report.verified()).isTrue();
    assertThat(report.modelName()).isEqualTo(name);
    assertThat(report.resourcesChecked()).isEqualTo(2);
    assertThat(report.method()).isEqualTo(SerializationMethod.FILES);
    assertThat(report.hashAlgorithm()).isEqualTo(HashAlgorithm.SHA256);
    assertThat(report.rootDigest().hex())
        .isEqualTo("92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
    assertThat(report.signer()).isEqualTo("key " + KEY_HINT + " (ecdsa-p384)");
  }

  @Test
  void singleFileVectorNamedDotVerifies() {
    Path folder = VECTORS.resolve("v0.3.1-elliptic-key");

    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(vectorKey())
            .build()
            .verify(folder.resolve("signme-1"), folder.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo("signme-1");
    assertThat(report.resourcesChecked()).isEqualTo(1);
    assertThat(report.rootDigest().hex())
        .isEqualTo("afa48c8674afe334b8a7dea34f7b46ab256e9255edf8da2132792341b667a45b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-certificate", "v1.0.1-certificate"})
  void certificateMethodVectorsVerifyAgainstTheRoot(String name) {
    Path model = VECTORS.resolve(name);

    VerificationReport report =
        certificateVerifier(IN_2026).verify(model, model.resolve("model.sig"));

    assertThat(report.resourcesChecked()).isEqualTo(2);
    assertThat(report.signer())
        .isEqualTo("certificate CN=intermediate-ca (issuer CN=intermediate-ca)");
  }

  @Test
  void certificateVectorFailsAfterTheLeafExpires() {
    Path model = VECTORS.resolve("v1.1.0-certificate");
    Clock in2036 = Clock.fixed(Instant.parse("2036-01-01T00:00:00Z"), ZoneOffset.UTC);

    assertThatThrownBy(() -> certificateVerifier(in2036).check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "certificate CN=intermediate-ca expired on 2035-04-30T23:36:28Z"
                + " (verification time 2036-01-01T00:00:00Z)");
  }

  @Test
  void certificateVectorFailsWithoutItsRootAsAnchor() {
    Path model = VECTORS.resolve("v1.1.0-certificate");
    ModelVerifier verifier =
        ModelVerifier.builder()
            .trustAnchors(List.of(TestCertificates.rootCa("other-root").certificate()))
            .clock(IN_2026)
            .build();

    assertThatThrownBy(() -> verifier.check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessageStartingWith("the certificate chain of CN=intermediate-ca does not reach");
  }

  @Test
  void keyVectorRejectsTheCertificateMethodVerifier() {
    Path model = VECTORS.resolve("v1.1.0-elliptic-key");

    assertThatThrownBy(() -> certificateVerifier(IN_2026).check(model, model.resolve("model.sig")))
        .isInstanceOf(SignatureException.class)
        .hasMessageEndingWith(
            "is signed with a bare key; verify it with a public key (key method)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate"})
  void flippedByteIsReportedAsModified(String name) {
    Path model = TestModels.copy(VECTORS.resolve(name), temp.resolve(name));
    TestModels.flipByte(model.resolve("signme-1"), 3);

    VerificationReport report = verifierFor(name).check(model, model.resolve("model.sig"));

    assertThat(report.verified()).isFalse();
    assertThat(report.modifiedFiles()).containsExactly("signme-1");
    assertThat(report.missingFiles()).isEmpty();
    assertThat(report.extraFiles()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate"})
  void removedFileIsReportedAsMissing(String name) throws Exception {
    Path model = TestModels.copy(VECTORS.resolve(name), temp.resolve(name));
    Files.delete(model.resolve("signme-2"));

    VerificationReport report = verifierFor(name).check(model, model.resolve("model.sig"));

    assertThat(report.missingFiles()).containsExactly("signme-2");
    assertThat(report.modifiedFiles()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.1.0-elliptic-key", "v1.0.1-elliptic-key", "v1.1.0-certificate"})
  void addedFileIsReportedAsExtra(String name) {
    Path model = TestModels.copy(VECTORS.resolve(name), temp.resolve(name));
    TestModels.write(model, "sub/added.bin", "x");

    VerificationReport report = verifierFor(name).check(model, model.resolve("model.sig"));

    assertThat(report.extraFiles()).containsExactly("sub/added.bin");
    assertThatThrownBy(() -> verifierFor(name).verify(model, model.resolve("model.sig")))
        .isInstanceOf(ManifestMismatchException.class)
        .hasMessage("model " + name + " does not match its signature: extra [sub/added.bin]");
  }

  @Test
  void flippedByteOfSingleFileModelIsReported() {
    Path folder = TestModels.copy(VECTORS.resolve("v0.3.1-elliptic-key"), temp.resolve("v0.3.1"));
    TestModels.flipByte(folder.resolve("signme-1"), 0);

    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(vectorKey())
            .build()
            .check(folder.resolve("signme-1"), folder.resolve("model.sig"));

    assertThat(report.modifiedFiles()).containsExactly(".");
  }

  @Test
  void tamperedSignatureFails() throws Exception {
    Path model = TestModels.copy(VECTORS.resolve("v1.1.0-elliptic-key"), temp.resolve("m"));
    Path signature = model.resolve("model.sig");
    String text = Files.readString(signature);
    // Swap two characters of the base64 signature.
    String sig = "MGUCMQCVqSw64cBnPHqbyadq";
    Files.writeString(signature, text.replace(sig, "MGUCMQCVqSw64cBnPHqbyadr"));

    assertThatThrownBy(() -> keyVerifier().check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "signature file "
                + signature
                + ": the DSSE signature does not verify with key "
                + KEY_HINT
                + " (ecdsa-p384)");
  }

  private ModelVerifier verifierFor(String name) {
    return name.contains("certificate") ? certificateVerifier(IN_2026) : keyVerifier();
  }
}
