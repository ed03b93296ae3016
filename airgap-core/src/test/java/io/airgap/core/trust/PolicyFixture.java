package io.airgap.core.trust;

import io.airgap.core.internal.BundleCodec;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureBundle;
import io.airgap.core.signing.SigningKey;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keys, policies and signed models for the trust scenarios: root keys A, B, C (2 of 3), model
 * signers K1, K2, K3 for role "fraud" (fraud/*, 2 of 3) and K4 for role "scoring" (1 of 1).
 */
final class PolicyFixture {
  static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
  static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The name {@link #sign} gives the model, covered by role "fraud". */
  static final String MODEL_NAME = "fraud/detector";

  final SigningKey a = Pem.generate(KeyType.ECDSA_P256);
  final SigningKey b = Pem.generate(KeyType.ECDSA_P384);
  final SigningKey c = Pem.generate(KeyType.ECDSA_P256);
  final SigningKey d = Pem.generate(KeyType.ECDSA_P256);
  final SigningKey k1 = Pem.generate(KeyType.ECDSA_P256);
  final SigningKey k2 = Pem.generate(KeyType.ECDSA_P256);
  final SigningKey k3 = Pem.generate(KeyType.ECDSA_P521);
  final SigningKey k4 = Pem.generate(KeyType.ED25519);
  final Path temp;

  PolicyFixture(Path temp) {
    this.temp = temp;
  }

  static String id(SigningKey key) {
    return TrustedKey.idOf(key.publicKey());
  }

  /** Builds policies, with every key plain unless replaced. */
  final class Draft {
    long version = 1;
    Instant expires = EXPIRES;
    final Map<String, TrustedKey> keys = new LinkedHashMap<>();
    final List<Role> roles = new ArrayList<>();
    KeyThreshold root;

    Draft() {
      for (SigningKey key : List.of(a, b, c, k1, k2, k3, k4)) {
        keys.put(id(key), TrustedKey.of(key.publicKey()));
      }
      roles.add(
          new Role(
              "fraud", List.of("fraud/*"), new KeyThreshold(List.of(id(k1), id(k2), id(k3)), 2)));
      roles.add(new Role("scoring", List.of("scoring"), new KeyThreshold(List.of(id(k4)), 1)));
      root = new KeyThreshold(List.of(id(a), id(b), id(c)), 2);
    }

    Draft version(long value) {
      version = value;
      return this;
    }

    Draft key(TrustedKey key) {
      keys.put(key.keyId(), key);
      return this;
    }

    TrustPolicy build() {
      return new TrustPolicy(version, expires, keys, roles, root);
    }

    SignedPolicy signedBy(SigningKey... signers) {
      SignedPolicy policy = SignedPolicy.unsigned(build());
      for (SigningKey signer : signers) {
        policy = PolicySigner.sign(policy, signer);
      }
      return policy;
    }
  }

  Draft draft() {
    return new Draft();
  }

  /** The small test model, created once. */
  Path model() {
    Path model = temp.resolve("model");
    if (!Files.exists(model)) {
      TestModels.smallModel(temp);
    }
    return model;
  }

  /**
   * Signs the model as {@value #MODEL_NAME} with one key into {@code name} beside it (outside the
   * model).
   */
  Path sign(String name, SigningKey key) {
    return signAs(name, key, MODEL_NAME);
  }

  /** Signs the model with one key, giving it {@code modelName}. */
  Path signAs(String name, SigningKey key, String modelName) {
    Path file = temp.resolve(name);
    ModelSigner.builder()
        .key(key)
        .allowEd25519(true)
        .modelName(modelName)
        .build()
        .sign(model(), file, ModelHasher.builder().build(), List.of());
    return file;
  }

  /** One signature file holding signatures by several keys over the same statement. */
  Path signTogether(String name, SigningKey first, SigningKey... more) throws Exception {
    Path file = sign(name, first);
    SignatureBundle bundle = BundleCodec.read(file, BundleCodec.DEFAULT_MAX_BYTES);
    DsseEnvelope envelope = bundle.envelope();
    for (SigningKey key : more) {
      byte[] signature = key.type().sign(key.privateKey(), envelope.signedBytes());
      envelope = envelope.withSignature(new DsseEnvelope.Signature("", signature));
    }
    Files.write(file, BundleCodec.write(new SignatureBundle(envelope, null, null, List.of())));
    return file;
  }

  PolicyVerifier.Builder verifier(SignedPolicy... policies) {
    return PolicyVerifier.builder().policies(List.of(policies)).clock(CLOCK);
  }
}
