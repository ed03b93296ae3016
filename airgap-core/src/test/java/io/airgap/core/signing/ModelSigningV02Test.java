package io.airgap.core.signing;

import static io.airgap.core.signing.ModelSigningV02Signatures.Encoding.DSSE;
import static io.airgap.core.signing.ModelSigningV02Signatures.Encoding.MODEL_SIGNING_V02;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.OmsStatement;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.testing.TestCertificates;
import io.airgap.core.testing.TestCertificates.Issued;
import io.airgap.core.testing.TestCertificates.Usage;
import io.airgap.core.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signatures in the format of model_signing 0.2 (the Digests/v0.1 statement over that release's
 * faulty encoding, always SHA-256) verify; that encoding counts for no other statement.
 */
class ModelSigningV02Test {
  private static final Path VECTORS = TestModels.resource("oms-model-signing-v0.2");
  private static final Path UPSTREAM = TestModels.resource("oms-model-transparency");
  private static final Clock IN_2026 =
      Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
  private static final String UNNAMED = "compat-undefined-not-present";
  private static final String ZERO_DIGEST = "0".repeat(64);

  @TempDir Path temp;

  @Test
  void faultyEncodingIsPythonsLiteralOfThePayloadBytes() {
    byte[] payload = "{\"a\": 'b'}\\\t\n\r\0\u007f\u00e9~ ".getBytes(StandardCharsets.UTF_8);

    assertThat(Dsse.modelSigningV02Pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload))
        .asString(StandardCharsets.US_ASCII)
        .isEqualTo(
            "DSSEV1 28 application/vnd.in-toto+json 20"
                + " b'{\"a\": \\'b\\'}\\\\\\t\\n\\r\\x00\\x7f\\xc3\\xa9~ '");
  }

  @Test
  void faultyEncodingQuotesWithDoubleQuotesWhenOnlySingleQuotesOccur() {
    byte[] payload = "it's".getBytes(StandardCharsets.US_ASCII);

    assertThat(Dsse.modelSigningV02Pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload))
        .asString(StandardCharsets.US_ASCII)
        .isEqualTo("DSSEV1 28 application/vnd.in-toto+json 4 b\"it's\"");
  }

  @Test
  void certificateSignatureMadeByModelSigning020Verifies() {
    Path model = UPSTREAM.resolve("v0.2.0-certificate");

    VerificationReport report =
        certificateVerifier(List.of(upstreamRoot())).verify(model, model.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo(UNNAMED);
    assertThat(report.resourcesChecked()).isEqualTo(2);
    assertThat(report.method()).isEqualTo(SerializationMethod.FILES);
    assertThat(report.hashAlgorithm()).isEqualTo(HashAlgorithm.SHA256);
    assertThat(report.rootDigest().hex())
        .isEqualTo("61d4849d9d90076d6215f4d525f13d6574af8e3f67aef3e6f36fc40a14fdd226");
    assertThat(report.signer())
        .isEqualTo("certificate CN=intermediate-ca (issuer CN=intermediate-ca)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"elliptic-key-p256", "elliptic-key-p384"})
  void keySignatureVectorsVerify(String name) {
    Path model = VECTORS.resolve(name);
    ModelVerifier verifier = ModelVerifier.builder().publicKey(vectorKey(name)).build();

    VerificationReport report = verifier.verify(model, model.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo(UNNAMED);
    assertThat(report.resourcesChecked()).isEqualTo(2);
    assertThat(report.signer()).endsWith(name.endsWith("p256") ? "(ecdsa-p256)" : "(ecdsa-p384)");
  }

  @ParameterizedTest
  @EnumSource(
      value = KeyType.class,
      names = {"ECDSA_P256", "ECDSA_P384", "ECDSA_P521"})
  void keySignatureOfEveryCurveVerifiesWithSha256(KeyType type) {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(type);
    signKeyMethod(model, key, ModelSigningV02Signatures.statement(model), MODEL_SIGNING_V02);

    VerificationReport report = keyVerifier(key).verify(model, model.resolve("model.sig"));

    assertThat(report.resourcesChecked()).isEqualTo(3);
    assertThat(report.signer())
        .isEqualTo("key " + Pem.hint(key.publicKey()) + " (" + type.cliName() + ")");
  }

  @Test
  void certificateSignatureWithGeneratedChainVerifies() {
    Path model = TestModels.smallModel(temp);
    Issued root = TestCertificates.rootCa("root");
    Issued intermediate = TestCertificates.intermediateCa("intermediate", root);
    Issued leaf =
        TestCertificates.leaf(
            "signer",
            KeyType.ECDSA_P384,
            intermediate,
            Usage.DIGITAL_SIGNATURE,
            TestCertificates.NOT_BEFORE,
            TestCertificates.NOT_AFTER);
    byte[] statement = ModelSigningV02Signatures.statement(model);
    ModelSigningV02Signatures.writeCertificateBundle(
        model.resolve("model.sig"),
        List.of(leaf.certificate(), intermediate.certificate()),
        statement,
        ModelSigningV02Signatures.sign(leaf.key(), statement, MODEL_SIGNING_V02));

    VerificationReport report =
        certificateVerifier(List.of(root.certificate())).verify(model, model.resolve("model.sig"));

    assertThat(report.resourcesChecked()).isEqualTo(3);
    assertThat(report.signer()).isEqualTo("certificate CN=signer (issuer CN=intermediate)");
  }

  @Test
  void singleFileModelNamedDotVerifies() throws Exception {
    Path file = TestModels.write(temp, "model.onnx", "onnx bytes");
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    byte[] statement = ModelSigningV02Signatures.statement(file);
    ModelSigningV02Signatures.writeKeyBundle(
        temp.resolve("model.sig"),
        key,
        statement,
        ModelSigningV02Signatures.sign(key, statement, MODEL_SIGNING_V02));

    VerificationReport report = keyVerifier(key).verify(file, temp.resolve("model.sig"));

    assertThat(report.resourcesChecked()).isEqualTo(1);
    Files.writeString(file, "other bytes");
    assertThat(keyVerifier(key).check(file, temp.resolve("model.sig")).modifiedFiles())
        .containsExactly(".");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.2.0-certificate", "elliptic-key-p256"})
  void flippedByteIsReportedAsModified(String name) {
    Path model = copyVector(name);
    TestModels.flipByte(model.resolve("signme-1"), 3);

    VerificationReport report = verifierFor(name).check(model, model.resolve("model.sig"));

    assertThat(report.verified()).isFalse();
    assertThat(report.modifiedFiles()).containsExactly("signme-1");
    assertThat(report.missingFiles()).isEmpty();
    assertThat(report.extraFiles()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.2.0-certificate", "elliptic-key-p256"})
  void removedFileIsReportedAsMissing(String name) throws Exception {
    Path model = copyVector(name);
    Files.delete(model.resolve("signme-2"));

    VerificationReport report = verifierFor(name).check(model, model.resolve("model.sig"));

    assertThat(report.missingFiles()).containsExactly("signme-2");
    assertThat(report.modifiedFiles()).isEmpty();
    assertThat(report.extraFiles()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v0.2.0-certificate", "elliptic-key-p256"})
  void addedFileIsReportedAsExtra(String name) {
    Path model = copyVector(name);
    TestModels.write(model, "sub/added.bin", "x");
    ModelVerifier verifier = verifierFor(name);

    assertThat(verifier.check(model, model.resolve("model.sig")).extraFiles())
        .containsExactly("sub/added.bin");
    assertThatThrownBy(() -> verifier.verify(model, model.resolve("model.sig")))
        .isInstanceOf(ManifestMismatchException.class)
        .hasMessage("model " + UNNAMED + " does not match its signature: extra [sub/added.bin]");
  }

  @Test
  void currentStatementOverFaultyEncodingIsRefused() {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    byte[] current =
        ModelSigner.builder()
            .key(key)
            .build()
            .sign(ModelHasher.builder().build().hash(model, List.of()))
            .envelope()
            .payload();
    Path signature = signKeyMethod(model, key, current, MODEL_SIGNING_V02);

    assertThatThrownBy(() -> keyVerifier(key).check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "signature file "
                + signature
                + ": the DSSE signature verifies only over the faulty pre-authentication"
                + " encoding of model_signing 0.2, which is accepted for"
                + " 'https://model_signing/Digests/v0.1' statements only, not for predicate type"
                + " 'https://model_signing/signature/v1.0'");
  }

  @Test
  void otherModelSigning02PredicateOverFaultyEncodingIsRefused() {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    byte[] statement =
        text(ModelSigningV02Signatures.statement(model))
            .replace("Digests/v0.1", "DigestOfDigests/v0.1")
            .getBytes(StandardCharsets.UTF_8);
    Path signature = signKeyMethod(model, key, statement, MODEL_SIGNING_V02);

    assertThatThrownBy(() -> keyVerifier(key).check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessageEndingWith(
            "statements only, not for predicate type"
                + " 'https://model_signing/DigestOfDigests/v0.1'");
  }

  @Test
  void legacyStatementOverDsseEncodingVerifiesAsModelSigningAcceptsIt() {
    // model_signing tries the DSSE encoding (with the key's own hash) first for every statement;
    // model_signing 0.2's Sigstore method signed this statement that way.
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P384);
    signKeyMethod(model, key, ModelSigningV02Signatures.statement(model), DSSE);

    VerificationReport report = keyVerifier(key).verify(model, model.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo(UNNAMED);
    assertThat(report.resourcesChecked()).isEqualTo(3);
  }

  @Test
  void faultyEncodingHashedWithTheKeysOwnHashDoesNotVerify() {
    // model_signing 0.2 always hashed with SHA-256; a P-384 signature with SHA-384 over its
    // encoding was never made by it and is not accepted.
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P384);
    byte[] statement = ModelSigningV02Signatures.statement(model);
    Path signature = model.resolve("model.sig");
    ModelSigningV02Signatures.writeKeyBundle(
        signature,
        key,
        statement,
        ModelSigningV02Signatures.sign(
            key, "SHA384withECDSA", Dsse.modelSigningV02Pae(Dsse.IN_TOTO_PAYLOAD_TYPE, statement)));

    assertThatThrownBy(() -> keyVerifier(key).check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "signature file "
                + signature
                + ": the DSSE signature does not verify with key "
                + Pem.hint(key.publicKey())
                + " (ecdsa-p384)");
  }

  @Test
  void legacySignatureOfOtherBytesFails() {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    byte[] statement = ModelSigningV02Signatures.statement(model);
    byte[] signed = ModelSigningV02Signatures.sign(key, statement, MODEL_SIGNING_V02);
    byte[] changed = text(statement).replace("part-1", "part-9").getBytes(StandardCharsets.UTF_8);
    Path signature = model.resolve("model.sig");
    ModelSigningV02Signatures.writeKeyBundle(signature, key, changed, signed);

    assertThatThrownBy(() -> keyVerifier(key).check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessageEndingWith(": the DSSE signature does not verify with key " + keyName(key));
  }

  static Stream<Arguments> malformedStatements() {
    String digest = "{\"sha256\": \"" + ZERO_DIGEST + "\"}";
    return Stream.of(
        Arguments.of(
            "[]", "{}", ": the https://model_signing/Digests/v0.1 statement lists no file"),
        Arguments.of("[\"a\"]", "{}", " subject[0] must be an object"),
        Arguments.of("[{\"name\": \"a\"}]", "{}", " subject[0]: missing 'digest'"),
        Arguments.of(
            "[{\"name\": \"../escape\", \"digest\": " + digest + "}]",
            "{}",
            " subject[0]: file name '../escape' has a '..' segment that escapes the model"
                + " directory"),
        Arguments.of(
            "[{\"name\": \"a\", \"digest\": "
                + digest
                + "}, {\"name\": \"a\", \"digest\": "
                + digest
                + "}]",
            "{}",
            " subject[1]: file 'a' is listed twice"),
        Arguments.of(
            "[{\"name\": \"a\", \"digest\": {\"sha256\": \"abc\"}}]",
            "{}",
            " subject[0] digest.sha256: expected 64 hex characters of sha256, got 3 characters"),
        Arguments.of(
            "[{\"name\": \"a\", \"digest\": "
                + digest
                + ", \"annotations\": {\"actual_hash_algorithm\": \"file-blake2b\"}}]",
            "{}",
            " subject[0]: actual_hash_algorithm is 'file-blake2b'; model_signing 0.2 signatures"
                + " verify with SHA-256 file digests only ('file-sha256')"),
        Arguments.of(
            "[{\"name\": \"a\", \"digest\": " + digest + "}]",
            "\"unused\"",
            ": 'predicate' must be object, found string"));
  }

  @ParameterizedTest
  @MethodSource("malformedStatements")
  void malformedLegacyStatementIsRefused(String subjects, String predicate, String problem) {
    Path model = TestModels.smallModel(temp);
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    byte[] statement =
        ("{\"_type\": \"https://in-toto.io/Statement/v1\", \"subject\": "
                + subjects
                + ", \"predicateType\": \"https://model_signing/Digests/v0.1\", \"predicate\": "
                + predicate
                + "}")
            .getBytes(StandardCharsets.UTF_8);
    Path signature = signKeyMethod(model, key, statement, MODEL_SIGNING_V02);

    assertThatThrownBy(() -> keyVerifier(key).check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessage("signature file " + signature + " payload" + problem);
  }

  @Test
  void publicStatementDecoderReadsTheCurrentFormatOnly() {
    byte[] statement = ModelSigningV02Signatures.statement(TestModels.smallModel(temp));

    assertThatThrownBy(() -> OmsStatement.decode(statement, "test"))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "test payload: predicateType is 'https://model_signing/Digests/v0.1', expected"
                + " 'https://model_signing/signature/v1.0'");
  }

  private static Path signKeyMethod(
      Path model, SigningKey key, byte[] statement, ModelSigningV02Signatures.Encoding encoding) {
    Path signature = model.resolve("model.sig");
    ModelSigningV02Signatures.writeKeyBundle(
        signature, key, statement, ModelSigningV02Signatures.sign(key, statement, encoding));
    return signature;
  }

  private static ModelVerifier keyVerifier(SigningKey key) {
    return ModelVerifier.builder().publicKey(key.publicKey()).build();
  }

  private static ModelVerifier certificateVerifier(List<X509Certificate> anchors) {
    return ModelVerifier.builder().trustAnchors(anchors).clock(IN_2026).build();
  }

  private static X509Certificate upstreamRoot() {
    return Pem.readCertificates(UPSTREAM.resolve("keys/ca-cert.pem")).get(0);
  }

  private static PublicKey vectorKey(String name) {
    return name.endsWith("p256")
        ? Pem.readPublicKey(VECTORS.resolve("keys/p256-pub.pem"))
        : Pem.readPublicKey(UPSTREAM.resolve("keys/signing-key-pub.pem"));
  }

  private static String keyName(SigningKey key) {
    return Pem.hint(key.publicKey()) + " (" + key.type().cliName() + ")";
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private Path copyVector(String name) {
    Path source = name.startsWith("v0.2.0") ? UPSTREAM.resolve(name) : VECTORS.resolve(name);
    return TestModels.copy(source, temp.resolve(name));
  }

  private ModelVerifier verifierFor(String name) {
    return name.startsWith("v0.2.0")
        ? certificateVerifier(List.of(upstreamRoot()))
        : ModelVerifier.builder().publicKey(vectorKey(name)).build();
  }
}
