package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every malformed or hostile signature file is refused with an error that names the problem. */
class BundleBadInputTest {
  @TempDir Path temp;

  private Path model;
  private Path signature;
  private SigningKey key;
  private ModelVerifier verifier;

  @BeforeEach
  void signModel() {
    model = TestModels.smallModel(temp);
    signature = temp.resolve("model.sig");
    key = Pem.generate(KeyType.ECDSA_P256);
    verifier = ModelVerifier.builder().publicKey(key.publicKey()).build();
  }

  /** Signs an arbitrary payload with the test key and writes it as the signature file. */
  private void writeSigned(String payload) throws Exception {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    writeSignedBytes(bytes);
  }

  private void writeSignedBytes(byte[] payload) throws Exception {
    java.security.Signature ecdsa = java.security.Signature.getInstance("SHA256withECDSA");
    ecdsa.initSign(key.privateKey());
    ecdsa.update(Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    DsseEnvelope envelope =
        new DsseEnvelope(
            Dsse.IN_TOTO_PAYLOAD_TYPE,
            payload,
            List.of(new DsseEnvelope.Signature("", ecdsa.sign())));
    Files.write(
        signature,
        BundleCodec.write(
            new SignatureBundle(envelope, Pem.hint(key.publicKey()), null, List.of())));
  }

  private static String statement(String resources) {
    return statement(
        "https://in-toto.io/Statement/v1", "https://model_signing/signature/v1.0", resources);
  }

  private static String statement(String type, String predicateType, String resources) {
    String root = rootOf(resources);
    return "{\"_type\": \""
        + type
        + "\", \"subject\": [{\"name\": \"model\", \"digest\": {\"sha256\": \""
        + root
        + "\"}}], \"predicateType\": \""
        + predicateType
        + "\", \"predicate\": {"
        + "\"serialization\": {\"method\": \"files\", \"hash_type\": \"sha256\", \"allow_symlinks\": false},"
        + " \"resources\": ["
        + resources
        + "]}}";
  }

  private static String resource(String name, String hexDigest) {
    return "{\"name\": \""
        + name
        + "\", \"algorithm\": \"sha256\", \"digest\": \""
        + hexDigest
        + "\"}";
  }

  private static String rootOf(String resources) {
    java.util.regex.Matcher digests =
        java.util.regex.Pattern.compile("\"digest\": \"([0-9a-f]{64})\"").matcher(resources);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    while (digests.find()) {
      all.writeBytes(java.util.HexFormat.of().parseHex(digests.group(1)));
    }
    return io.airgap.core.digest.HashAlgorithm.SHA256.hash(all.toByteArray()).hex();
  }

  private static final String ZERO = "0".repeat(64);

  private void assertRefused(Class<? extends RuntimeException> type, String message) {
    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(type)
        .hasMessage(message);
  }

  @Test
  void truncatedBundleIsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    byte[] bytes = Files.readAllBytes(signature);
    Files.write(signature, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "signature file " + signature + " is not valid JSON: Unexpected end-of-input");
  }

  @Test
  void emptyFileIsRefused() throws Exception {
    Files.write(signature, new byte[0]);

    assertRefused(FormatException.class, "signature file " + signature + " is empty");
  }

  @Test
  void tenMegabytesOfGarbageAreRefusedBySize() throws Exception {
    byte[] garbage = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(garbage);
    Files.write(signature, garbage);

    assertRefused(
        FormatException.class,
        "signature file " + signature + " is larger than the limit of 8388608 bytes");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "mediaType|application/vnd.dev.sigstore.bundle.v0.1+json|mediaType is 'application/vnd.dev.sigstore.bundle.v0.1+json', expected 'application/vnd.dev.sigstore.bundle.v0.3+json'",
        "payloadType|application/json|payloadType is 'application/json', expected 'application/vnd.in-toto+json'",
      })
  void wrongTypesAreRefused(String field, String value, String message) throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    if (field.equals("mediaType")) {
      root.put("mediaType", value);
    } else {
      ((ObjectNode) root.get("dsseEnvelope")).put("payloadType", value);
    }
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(FormatException.class, "signature file " + signature + ": " + message);
  }

  @Test
  void wrongStatementTypeIsRefused() throws Exception {
    writeSigned(
        statement(
            "https://in-toto.io/Statement/v0.1",
            "https://model_signing/signature/v1.0",
            resource("config.json", ZERO)));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + " payload: _type is 'https://in-toto.io/Statement/v0.1', expected 'https://in-toto.io/Statement/v1'");
  }

  @Test
  void wrongPredicateTypeIsRefused() throws Exception {
    writeSigned(
        statement(
            "https://in-toto.io/Statement/v1",
            "https://slsa.dev/provenance/v1",
            resource("config.json", ZERO)));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + " payload: predicateType is 'https://slsa.dev/provenance/v1', expected 'https://model_signing/signature/v1.0'");
  }

  @Test
  void duplicateKeysInTheBundleAreRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    String text = Files.readString(signature);
    Files.writeString(signature, text.replaceFirst("\\{", "{\"mediaType\": \"x\","));

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "signature file " + signature + " is not valid JSON: Duplicate field 'mediaType'");
  }

  @Test
  void duplicateKeysInThePayloadAreRefused() throws Exception {
    writeSigned(
        statement(resource("config.json", ZERO))
            .replace("{\"_type\"", "{\"subject\": [], \"_type\""));

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "signature file "
                + signature
                + " payload is not valid JSON: Duplicate field 'subject'");
  }

  @Test
  void payloadThatIsNotBase64IsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    ((ObjectNode) root.get("dsseEnvelope")).put("payload", "not base64!");
    Files.write(signature, StrictJson.writePretty(root));

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("signature file " + signature + ": 'payload' is not base64");
  }

  @Test
  void signatureByAnotherKeyWithoutHintIsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    ((ObjectNode) root.get("verificationMaterial").get("publicKey")).remove("hint");
    Files.write(signature, StrictJson.writePretty(root));
    SigningKey other = Pem.generate(KeyType.ECDSA_P256);
    ModelVerifier otherVerifier = ModelVerifier.builder().publicKey(other.publicKey()).build();

    assertThatThrownBy(() -> otherVerifier.check(model, signature))
        .isInstanceOf(SignatureException.class)
        .hasMessage(
            "signature file "
                + signature
                + ": the DSSE signature does not verify with key "
                + Pem.hint(other.publicKey())
                + " (ecdsa-p256)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "../etc/passwd|file name '../etc/passwd' has a '..' segment that escapes the model directory",
        "/etc/passwd|file name '/etc/passwd' is absolute (starts with /)",
        "a\\\\b|file name 'a\\b' contains a backslash",
        "a\\u0000b|file name 'a\\x00b' contains a NUL character",
        "a//b|file name 'a//b' has an empty path segment",
        "\\ud800x|file name '\ud800x' is not valid Unicode (unpaired surrogate)",
      })
  void hostileResourceNamesAreRefused(String name, String message) throws Exception {
    writeSigned(statement(resource(name, ZERO)));

    assertRefused(
        FormatException.class, "signature file " + signature + " payload resources[0]: " + message);
  }

  @Test
  void invalidUtf8InThePayloadIsRefused() throws Exception {
    byte[] payload = statement(resource("config-X.json", ZERO)).getBytes(StandardCharsets.UTF_8);
    int at = new String(payload, StandardCharsets.ISO_8859_1).indexOf("-X");
    payload[at + 1] = (byte) 0xff;
    writeSignedBytes(payload);

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "signature file " + signature + " payload is not valid JSON: Invalid UTF-8");
  }

  @Test
  void sameResourceTwiceIsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO) + ", " + resource("config.json", ZERO)));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + " payload resources[1]: resource 'config.json' is listed twice");
  }

  @Test
  void namesEqualAfterNfcNormalisationAreTheSameName() throws Exception {
    writeSigned(statement(resource("caf\\u00e9", ZERO) + ", " + resource("cafe\\u0301", ZERO)));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + " payload resources[1]: resource 'cafe\u0301' is listed twice");
  }

  @Test
  void rootDigestThatDoesNotMatchTheResourcesIsRefused() throws Exception {
    String good = statement(resource("config.json", ZERO));
    String wrongRoot = good.replace(rootOf(resource("config.json", ZERO)), "1".repeat(64));
    writeSigned(wrongRoot);

    assertRefused(
        SignatureException.class,
        "signature file "
            + signature
            + ": the signed root digest "
            + "1".repeat(64)
            + " does not match the listed resources ("
            + rootOf(resource("config.json", ZERO))
            + "); the manifest is inconsistent");
  }

  @Test
  void keylessSigstoreBundlesAreExplainedNotMisread() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    ObjectNode material = (ObjectNode) root.get("verificationMaterial");
    material.remove("publicKey");
    material
        .putObject("certificate")
        .put("rawBytes", Base64.getEncoder().encodeToString(new byte[] {1}));
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + ": a single 'certificate' (Sigstore keyless signing) needs a"
            + " transparency log; offline verification supports the key and certificate-chain methods");
  }

  @Test
  void tooManySignaturesAreRefusedBeforeAnyIsChecked() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    com.fasterxml.jackson.databind.node.ArrayNode signatures =
        (com.fasterxml.jackson.databind.node.ArrayNode) root.get("dsseEnvelope").get("signatures");
    for (int i = 0; i < 32; i++) {
      signatures.add(signatures.get(0).deepCopy());
    }
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + ": the DSSE envelope has 33 signatures, more than the limit of 32");
  }

  @Test
  void overlongCertificateChainIsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    ObjectNode material = (ObjectNode) root.get("verificationMaterial");
    material.remove("publicKey");
    com.fasterxml.jackson.databind.node.ArrayNode chain =
        material.putObject("x509CertificateChain").putArray("certificates");
    for (int i = 0; i < 11; i++) {
      chain.addObject().put("rawBytes", "AAAA");
    }
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + ": the certificate chain has 11 certificates, more than the limit of 10");
  }

  @Test
  void bundleWithBothKeyAndChainIsRefused() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    ((ObjectNode) root.get("verificationMaterial"))
        .putObject("x509CertificateChain")
        .putArray("certificates");
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + ": verificationMaterial has both 'publicKey' and 'x509CertificateChain'");
  }

  @Test
  void manifestWithoutResourcesIsRefused() throws Exception {
    writeSigned(statement(""));

    assertRefused(
        FormatException.class,
        "signature file " + signature + " payload: the manifest lists no resources");
  }

  @Test
  void bundleWithTooManyTokensIsRefusedCheaply() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    String text = Files.readString(signature);
    Files.writeString(
        signature, text.replaceFirst("\\{", "{\"padding\": [" + "{},".repeat(6000) + "{}],"));

    assertThatThrownBy(() -> verifier.check(model, signature))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "signature file " + signature + " is not valid JSON: Token count (10001) exceeds");
  }

  @Test
  void controlCharactersInTypesAreEscapedInMessages() throws Exception {
    writeSigned(statement(resource("config.json", ZERO)));
    ObjectNode root = (ObjectNode) StrictJson.mapper().readTree(signature.toFile());
    root.put("mediaType", "evil\nFORGED LOG LINE");
    Files.write(signature, StrictJson.writePretty(root));

    assertRefused(
        FormatException.class,
        "signature file "
            + signature
            + ": mediaType is 'evil\\x0aFORGED LOG LINE', expected"
            + " 'application/vnd.dev.sigstore.bundle.v0.3+json'");
  }

  @Test
  void missingSignatureFileIsAnInputError() {
    assertThatThrownBy(() -> verifier.check(model, temp.resolve("absent.sig")))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage("signature file " + temp.resolve("absent.sig") + " does not exist");
  }

  @Test
  void legacyShardAlgorithmSpellingsAreAccepted() throws Exception {
    // Older model_signing wrote hash_type "sha256-sharded-N" and shard_size as a double.
    byte[] content = Files.readAllBytes(model.resolve("config.json"));
    String digest = io.airgap.core.digest.HashAlgorithm.SHA256.hash(content).hex();
    String resources =
        "{\"name\": \"config.json:0:"
            + content.length
            + "\", \"algorithm\": \"sha256-sharded-1000000000\", \"digest\": \""
            + digest
            + "\"}";
    String payload =
        statement(resources)
            .replace(
                "\"method\": \"files\", \"hash_type\": \"sha256\"",
                "\"method\": \"shards\", \"hash_type\": \"sha256-sharded-1000000000\", \"shard_size\": 1000000000.0");
    writeSigned(payload);

    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .ignoreUnsignedFiles(true)
            .build()
            .check(model, signature);

    assertThat(report.verified()).isTrue();
    assertThat(report.resourcesChecked()).isEqualTo(1);
  }
}
