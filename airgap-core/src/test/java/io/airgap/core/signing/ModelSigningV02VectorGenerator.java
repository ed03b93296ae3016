package io.airgap.core.signing;

import io.airgap.core.testing.TestModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the vectors in {@code src/test/resources/oms-model-signing-v0.2} again: a model of two
 * files signed in the {@code model_signing} 0.2 format (faulty encoding, SHA-256) with a new P-256
 * key, and with the P-384 test key of {@code oms-model-transparency}. Runs only when asked:
 *
 * <pre>
 * mvn -pl airgap-core test -Dtest=ModelSigningV02VectorGenerator \
 *     -Dairgap.legacyVectors=$PWD/airgap-core/src/test/resources/oms-model-signing-v0.2
 * </pre>
 */
@EnabledIfSystemProperty(named = "airgap.legacyVectors", matches = ".+")
class ModelSigningV02VectorGenerator {
  @Test
  void writeVectors() {
    Path out = Path.of(System.getProperty("airgap.legacyVectors"));
    SigningKey p256 = Pem.generate(KeyType.ECDSA_P256);
    TestModels.write(out, "keys/p256-key.pem", Pem.privateKeyPem(p256.privateKey()));
    TestModels.write(out, "keys/p256-pub.pem", Pem.publicKeyPem(p256.publicKey()));
    writeModel(out.resolve("elliptic-key-p256"), p256);
    SigningKey p384 =
        Pem.readSigningKey(
            TestModels.resource("oms-model-transparency/keys/signing-key.pem"), null);
    writeModel(out.resolve("elliptic-key-p384"), p384);
  }

  private static void writeModel(Path model, SigningKey key) {
    TestModels.write(model, "signme-1", "weights of layer one\n");
    TestModels.write(model, "signme-2", "{\"layers\": 1}\n");
    byte[] statement = ModelSigningV02Signatures.statement(model);
    ModelSigningV02Signatures.writeKeyBundle(
        model.resolve("model.sig"),
        key,
        statement,
        ModelSigningV02Signatures.sign(
            key, statement, ModelSigningV02Signatures.Encoding.MODEL_SIGNING_V02));
  }
}
