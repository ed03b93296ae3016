package io.airgap.samples;

import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.trust.KeyThreshold;
import io.airgap.core.trust.ModelVersion;
import io.airgap.core.trust.PolicySigner;
import io.airgap.core.trust.PolicyVerificationReport;
import io.airgap.core.trust.PolicyVerifier;
import io.airgap.core.trust.Role;
import io.airgap.core.trust.SignedPolicy;
import io.airgap.core.trust.TrustPolicy;
import io.airgap.core.trust.TrustedKey;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A trust policy that needs two of three model signers: one signature is refused, two are accepted.
 * The policy itself is signed by an offline root key, as TUF does.
 */
public final class TrustPolicyTwoOfThree {
  private TrustPolicyTwoOfThree() {}

  /**
   * What the sample saw.
   *
   * @param oneSignature the verification with Alice's signature alone
   * @param twoSignatures the verification with Alice's and Bob's
   */
  public record Outcome(
      PolicyVerificationReport oneSignature, PolicyVerificationReport twoSignatures) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) {
    run(Workspace.fresh("trust-policy"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) {
    SigningKey root = Pem.generate(KeyType.ECDSA_P256);
    SigningKey alice = Pem.generate(KeyType.ECDSA_P256);
    SigningKey bob = Pem.generate(KeyType.ECDSA_P256);
    SigningKey carol = Pem.generate(KeyType.ECDSA_P256);

    List<String> signers =
        List.of(alice, bob, carol).stream().map(k -> TrustedKey.idOf(k.publicKey())).toList();
    TrustPolicy policy =
        TrustPolicy.first(Instant.now().plus(Duration.ofDays(365)), List.of(root.publicKey()), 1)
            .withKey(TrustedKey.of(alice.publicKey()))
            .withKey(TrustedKey.of(bob.publicKey()))
            .withKey(TrustedKey.of(carol.publicKey()))
            .withRole(new Role("iris", List.of("iris"), new KeyThreshold(signers, 2)));
    SignedPolicy signed = PolicySigner.sign(SignedPolicy.unsigned(policy), root);
    out.println("policy v1: model iris needs 2 of alice, bob, carol; signed by the root key");

    Path model = SampleModel.write(work.resolve("iris"));
    sign(model, alice, work.resolve("alice.sig"));
    sign(model, bob, work.resolve("bob.sig"));

    PolicyVerifier verifier =
        PolicyVerifier.builder()
            .policies(List.of(signed))
            .trustedRoot(signed.digest())
            .stateFile(work.resolve("trust-state.json"))
            .build();
    PolicyVerificationReport one =
        verifier.check(model, List.of(work.resolve("alice.sig")), "iris", ModelVersion.parse("1"));
    out.println("alice alone: " + one.summary());
    PolicyVerificationReport two =
        verifier.check(
            model,
            List.of(work.resolve("alice.sig"), work.resolve("bob.sig")),
            "iris",
            ModelVersion.parse("1"));
    out.println("alice and bob: " + two.summary());
    return new Outcome(one, two);
  }

  private static void sign(Path model, SigningKey key, Path signature) {
    ModelSigner.builder()
        .key(key)
        .build()
        .sign(model, signature, ModelHasher.builder().build(), List.of());
  }
}
