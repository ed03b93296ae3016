package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSignatureVerifier;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.trust.KeyThreshold;
import io.airgap.core.trust.ModelVersion;
import io.airgap.core.trust.PolicySigner;
import io.airgap.core.trust.PolicyVerifier;
import io.airgap.core.trust.Role;
import io.airgap.core.trust.RollbackException;
import io.airgap.core.trust.SignedPolicy;
import io.airgap.core.trust.TrustException;
import io.airgap.core.trust.TrustPolicy;
import io.airgap.core.trust.TrustedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a model verified under a trust policy: two of three signers, rollback refused. */
class VerifiedModelPolicyTest {
  private static final SigningKey ROOT = Pem.generate(KeyType.ECDSA_P256);
  private static final SigningKey ALICE = Pem.generate(KeyType.ECDSA_P256);
  private static final SigningKey BOB = Pem.generate(KeyType.ECDSA_P256);
  private static final SigningKey CAROL = Pem.generate(KeyType.ECDSA_P256);

  @TempDir Path temp;

  private static SignedPolicy policy() {
    Map<String, TrustedKey> keys = new LinkedHashMap<>();
    for (SigningKey key : List.of(ROOT, ALICE, BOB, CAROL)) {
      keys.put(TrustedKey.idOf(key.publicKey()), TrustedKey.of(key.publicKey()));
    }
    List<String> signers = Stream.of(ALICE, BOB, CAROL).map(k -> id(k)).toList();
    TrustPolicy policy =
        new TrustPolicy(
            1,
            Instant.now().plus(Duration.ofDays(30)),
            keys,
            List.of(new Role("mlp", List.of("mlp"), new KeyThreshold(signers, 2))),
            new KeyThreshold(List.of(id(ROOT)), 1));
    return PolicySigner.sign(SignedPolicy.unsigned(policy), ROOT);
  }

  private static String id(SigningKey key) {
    return TrustedKey.idOf(key.publicKey());
  }

  private PolicyVerifier verifier() {
    return PolicyVerifier.builder()
        .policies(List.of(policy()))
        .stateFile(temp.resolve("trust-state.json"))
        .build();
  }

  /** The MLP signed by each key into its own file inside the model directory. */
  private Path model(SigningKey... signers) {
    Path dir = temp.resolve("mlp");
    SignedModels.signed(dir, OnnxModels.mlp());
    // Each signer leaves the others' signature files out of what it signs.
    List<String> others = new java.util.ArrayList<>(List.of("model.sig"));
    Stream.of(ALICE, BOB, CAROL).forEach(k -> others.add(id(k).substring(0, 8) + ".sig"));
    for (SigningKey signer : signers) {
      ModelSigner.builder()
          .key(signer)
          .build()
          .sign(
              dir,
              dir.resolve(id(signer).substring(0, 8) + ".sig"),
              ModelHasher.builder().build(),
              others);
    }
    return dir;
  }

  private List<Path> signatureFiles(Path dir, SigningKey... signers) {
    return Stream.of(signers).map(k -> dir.resolve(id(k).substring(0, 8) + ".sig")).toList();
  }

  @Test
  void twoOfThreeSignersLoadAndTheReportSaysWhoCounted() throws Exception {
    Path dir = model(ALICE, BOB);

    try (VerifiedModel model =
            VerifiedModel.builder(dir)
                .signatures(signatureFiles(dir, ALICE, BOB))
                .verifier(verifier().forModel("mlp", ModelVersion.parse("2")))
                .workDirectory(temp.resolve("work"))
                .load();
        InferenceSession session = InferenceSession.builder(model).open()) {
      assertThat(model.name()).isEqualTo("mlp");
      assertThat(model.report().signer())
          .startsWith("policy version 1, role mlp: keys [")
          .contains(id(ALICE), id(BOB));
      assertThat(model.report().resourcesChecked()).isEqualTo(1); // model.onnx
      // The signature files inside the directory are not part of the verified model.
      assertThat(model.hasFile("model.onnx")).isTrue();
      assertThat(model.hasFile(id(ALICE).substring(0, 8) + ".sig")).isFalse();
      assertThat(session.inputs()).hasSize(1);
    }
  }

  @Test
  void oneSignatureIsBelowTheThresholdAndLeavesNoSnapshot() throws Exception {
    Path dir = model(ALICE);

    assertThatThrownBy(
            () ->
                VerifiedModel.builder(dir)
                    .signatures(signatureFiles(dir, ALICE))
                    .verifier(verifier().forModel("mlp", null))
                    .workDirectory(temp.resolve("work"))
                    .load())
        .isInstanceOf(TrustException.class)
        .hasMessageStartingWith("model mlp under policy version 1, role mlp: 1 of 2 required");
    try (Stream<Path> left = Files.list(temp.resolve("work"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void anOlderVersionThanOneAcceptedIsRefused() {
    Path dir = model(ALICE, CAROL);
    PolicyVerifier verifier = verifier();
    VerifiedModel.builder(dir)
        .signatures(signatureFiles(dir, ALICE, CAROL))
        .verifier(verifier.forModel("mlp", ModelVersion.parse("3")))
        .workDirectory(temp.resolve("work"))
        .load()
        .close();

    assertThatThrownBy(
            () ->
                VerifiedModel.builder(dir)
                    .signatures(signatureFiles(dir, ALICE, CAROL))
                    .verifier(verifier.forModel("mlp", ModelVersion.parse("2")))
                    .workDirectory(temp.resolve("work"))
                    .load())
        .isInstanceOf(RollbackException.class)
        .hasMessage(
            "model mlp version 2 is older than version 3 already accepted; deploy version 3 or"
                + " newer");
  }

  @Test
  void aKeyVerifiesOneSignatureFileOnly() {
    Path dir = model(ALICE, BOB);

    assertThatThrownBy(
            () ->
                VerifiedModel.builder(dir)
                    .signatures(signatureFiles(dir, ALICE, BOB))
                    .verifier(SignedModels.verifier())
                    .load())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "signatures(...) names 2 files but the verifier counts one; several signers need"
                + " PolicyVerifier.forModel(...)");
  }

  @Test
  void aSecondVerifierIsRefusedAtTheCall() {
    VerifiedModel.Builder builder =
        VerifiedModel.builder(temp).verifier(verifier().forModel("mlp", null));

    assertThatThrownBy(() -> builder.verifier(SignedModels.verifier()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("verifier(...) is already set; give one verifier");
  }

  @Test
  void signatureAndSignaturesConflict() {
    VerifiedModel.Builder builder = VerifiedModel.builder(temp).signature(temp.resolve("a.sig"));

    assertThatThrownBy(() -> builder.signatures(List.of(temp.resolve("b.sig"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "signatures(...) conflicts with signature(...)/signatures(...) given before; give one");
  }

  @Test
  void nullSettingsAreRefusedAtTheCallNamingThem() {
    VerifiedModel.Builder builder = VerifiedModel.builder(temp);

    assertThatThrownBy(() -> builder.workDirectory(null)).hasMessage("work directory");
    assertThatThrownBy(() -> builder.clock(null)).hasMessage("clock");
    assertThatThrownBy(() -> builder.verifier(null)).hasMessage("verifier");
    assertThatThrownBy(() -> builder.auditSink(null, "a")).hasMessage("audit sink");
  }

  @Test
  void aPolicyVerifierAndAKeyVerifierAreOneInterface() {
    ModelSignatureVerifier key = SignedModels.verifier();
    ModelSignatureVerifier policy = verifier().forModel("mlp", null);

    assertThat(key.countsSeveralSignatures()).isFalse();
    assertThat(policy.countsSeveralSignatures()).isTrue();
    assertThatThrownBy(() -> key.verify(temp, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a key or certificate verifier takes exactly one signature file, got 0; several"
                + " signers need a trust policy");
  }
}
