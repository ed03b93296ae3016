package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.trust.KeyThreshold;
import io.airgap.core.trust.PolicySigner;
import io.airgap.core.trust.Role;
import io.airgap.core.trust.SignedPolicy;
import io.airgap.core.trust.TrustPolicy;
import io.airgap.core.trust.TrustedKey;
import io.airgap.inference.ElementType;
import io.airgap.testing.OnnxModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model inspect and run verify under a trust policy: two of three signers. */
class PolicyInferenceCommandTest {
  private static final SigningKey ROOT = Pem.generate(KeyType.ECDSA_P256);
  private static final List<SigningKey> SIGNERS =
      List.of(
          Pem.generate(KeyType.ECDSA_P256),
          Pem.generate(KeyType.ECDSA_P256),
          Pem.generate(KeyType.ECDSA_P256));

  @TempDir Path temp;
  private Path model;
  private Path policy;

  @BeforeEach
  void signedModelAndPolicy() throws Exception {
    model = Files.createDirectories(temp.resolve("adder"));
    Files.write(
        model.resolve("model.onnx"),
        OnnxModelBuilder.named("adder")
            .input("a", ElementType.FLOAT, "batch", 2L)
            .output("y", ElementType.FLOAT, "batch", 2L)
            .node("Add", new String[] {"a", "a"}, "y")
            .build());
    for (int i = 0; i < 2; i++) { // the first two signers sign, beside the model
      ModelSigner.builder()
          .key(SIGNERS.get(i))
          .build()
          .sign(model, temp.resolve("s" + i + ".sig"), ModelHasher.builder().build(), List.of());
    }
    Map<String, TrustedKey> keys = new LinkedHashMap<>();
    keys.put(TrustedKey.idOf(ROOT.publicKey()), TrustedKey.of(ROOT.publicKey()));
    SIGNERS.forEach(k -> keys.put(TrustedKey.idOf(k.publicKey()), TrustedKey.of(k.publicKey())));
    List<String> ids = SIGNERS.stream().map(k -> TrustedKey.idOf(k.publicKey())).toList();
    TrustPolicy trust =
        new TrustPolicy(
            1,
            Instant.now().plus(Duration.ofDays(30)),
            keys,
            List.of(new Role("adder", List.of("adder"), new KeyThreshold(ids, 2))),
            new KeyThreshold(List.of(TrustedKey.idOf(ROOT.publicKey())), 1));
    policy = temp.resolve("policy.json");
    Files.write(policy, PolicySigner.sign(SignedPolicy.unsigned(trust), ROOT).toJson());
  }

  @Test
  void inspectUnderAPolicyNamesTheRoleAndKeys() {
    CommandRunner.Result result =
        run(
            "model",
            "inspect",
            model,
            "--policy",
            policy,
            "--state",
            temp.resolve("state.json"),
            "--signature",
            temp.resolve("s0.sig"),
            "--signature",
            temp.resolve("s1.sig"));

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("model:    adder")
        .contains("signer:   policy version 1, role adder: keys [")
        .contains("input:    a");
  }

  @Test
  void oneSignatureIsBelowTheThresholdAndNothingLoads() {
    CommandRunner.Result result =
        run("model", "inspect", model, "--policy", policy, "--signature", temp.resolve("s0.sig"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("model adder under policy version 1, role adder: 1 of 2 required signatures");
  }

  @Test
  void aKeyAndAPolicyTogetherAreAUsageError() throws Exception {
    Path publicKey = temp.resolve("k.pub.pem");
    Files.writeString(publicKey, Pem.publicKeyPem(SIGNERS.get(0).publicKey()));

    CommandRunner.Result result =
        run("model", "inspect", model, "--public-key", publicKey, "--policy", policy);

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("give either --public-key or a trust policy (--policy, --state)");
  }

  @Test
  void aModelVersionWithAKeyIsRefusedRatherThanIgnored() throws Exception {
    Path publicKey = temp.resolve("k.pub.pem");
    Files.writeString(publicKey, Pem.publicKeyPem(SIGNERS.get(0).publicKey()));

    CommandRunner.Result result =
        run("model", "inspect", model, "--public-key", publicKey, "--model-version", "3");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "--trusted-root, --model-name, --model-version and --verification-time apply under a"
                + " trust policy (--policy, --state), not with --public-key");
  }
}
