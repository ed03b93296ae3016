package io.airgap.core.signing;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator of the vectors in {@code src/test/resources/oms-model-signing-v0.2}: a model of two
 * files signed in the {@code model_signing} 0.2 format (faulty encoding, SHA-256) with a new P-256
 * key, and with the P-384 test key of {@code oms-model-transparency}. Every run generates them into
 * a temporary directory and checks they verify; to write the committed vectors again, name their
 * directory:
 *
 * <pre>
 * mvn -pl airgap-core -am verify -Dtest=ModelSigningV02VectorGeneratorTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dairgap.legacyVectors=$PWD/airgap-core/src/test/resources/oms-model-signing-v0.2
 * </pre>
 */
class ModelSigningV02VectorGeneratorTest {
  @TempDir Path temp;

  @Test
  void generatedVectorsVerifyWithTheirKeys() {
    String target = System.getProperty("airgap.legacyVectors", "");
    Path out = target.isEmpty() ? temp : Path.of(target);
    SigningKey p256 = Pem.generate(KeyType.ECDSA_P256);
    TestModels.write(out, "keys/p256-key.pem", Pem.privateKeyPem(p256.privateKey()));
    TestModels.write(out, "keys/p256-pub.pem", Pem.publicKeyPem(p256.publicKey()));
    SigningKey p384 =
        Pem.readSigningKey(
            TestModels.resource("oms-model-transparency/keys/signing-key.pem"), null);

    assertVerifies(writeModel(out.resolve("elliptic-key-p256"), p256), p256);
    assertVerifies(writeModel(out.resolve("elliptic-key-p384"), p384), p384);
  }

  private static Path writeModel(Path model, SigningKey key) {
    TestModels.write(model, "signme-1", "weights of layer one\n");
    TestModels.write(model, "signme-2", "{\"layers\": 1}\n");
    byte[] statement = ModelSigningV02Signatures.statement(model);
    ModelSigningV02Signatures.writeKeyBundle(
        model.resolve("model.sig"),
        key,
        statement,
        ModelSigningV02Signatures.sign(
            key, statement, ModelSigningV02Signatures.Encoding.MODEL_SIGNING_V02));
    return model;
  }

  private static void assertVerifies(Path model, SigningKey key) {
    VerificationReport report =
        ModelVerifier.builder()
            .publicKey(key.publicKey())
            .build()
            .verify(model, model.resolve("model.sig"));

    assertThat(report.modelName()).isEqualTo("compat-undefined-not-present");
    assertThat(report.resourcesChecked()).isEqualTo(2);
  }
}
