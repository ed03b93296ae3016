package io.airgap.core.trust;

import static io.airgap.core.trust.PolicyFixture.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.signing.SigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decision table for counting model signatures under role "fraud" (2 of K1, K2, K3): who
 * signed, what the policy says of their keys, and the exact decision and reasons. {@code {k2}} in a
 * reason stands for K2's key id.
 */
class SignatureCountingTableTest {
  @TempDir Path temp;

  /** One row: how the policy changes a key, who signs, and what must be decided. */
  record Scenario(
      String name,
      Function<PolicyFixture, PolicyFixture.Draft> policy,
      List<String> signers,
      boolean verified,
      List<String> refusals) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static TrustedKey changed(
      PolicyFixture f, SigningKey key, Instant from, Instant until, String revoked) {
    return new TrustedKey(
        id(key),
        key.type(),
        key.publicKey(),
        from,
        until,
        revoked == null ? null : new TrustedKey.Revocation(revoked, null));
  }

  static Stream<Scenario> scenarios() {
    Instant march = Instant.parse("2026-03-01T00:00:00Z");
    Instant september = Instant.parse("2026-09-01T00:00:00Z");
    return Stream.of(
        new Scenario("threshold met", PolicyFixture::draft, List.of("k1", "k2"), true, List.of()),
        new Scenario(
            "threshold met by three",
            PolicyFixture::draft,
            List.of("k1", "k2", "k3"),
            true,
            List.of()),
        new Scenario("threshold not met", PolicyFixture::draft, List.of("k1"), false, List.of()),
        new Scenario(
            "same key twice",
            PolicyFixture::draft,
            List.of("k1", "k1"),
            false,
            List.of("key {k1} already counted; each key counts once")),
        new Scenario(
            "expired key",
            f -> f.draft().key(changed(f, f.k2, null, march, null)),
            List.of("k1", "k2"),
            false,
            List.of(
                "key {k2} expired on 2026-03-01T00:00:00Z (verification time 2026-06-01T00:00:00Z)")),
        new Scenario(
            "key not yet valid",
            f -> f.draft().key(changed(f, f.k2, september, null, null)),
            List.of("k1", "k2"),
            false,
            List.of(
                "key {k2} is not valid before 2026-09-01T00:00:00Z (verification time 2026-06-01T00:00:00Z)")),
        new Scenario(
            "revoked key",
            f -> f.draft().key(changed(f, f.k2, null, null, "stolen")),
            List.of("k1", "k2"),
            false,
            List.of("key {k2} is revoked: stolen")),
        new Scenario(
            "revoked key, threshold met by others",
            f -> f.draft().key(changed(f, f.k2, null, null, "stolen")),
            List.of("k1", "k2", "k3"),
            true,
            List.of("key {k2} is revoked: stolen")),
        new Scenario(
            "key of another role",
            PolicyFixture::draft,
            List.of("k1", "k4"),
            false,
            List.of("key {k4} is not one of the keys of role fraud")),
        new Scenario(
            "key outside the policy",
            PolicyFixture::draft,
            List.of("k1", "d"),
            false,
            List.of("no key of the policy verifies it")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void decision(Scenario scenario) {
    PolicyFixture f = new PolicyFixture(temp);
    Map<String, SigningKey> keys = Map.of("k1", f.k1, "k2", f.k2, "k3", f.k3, "k4", f.k4, "d", f.d);
    SignedPolicy policy = scenario.policy().apply(f).signedBy(f.a, f.b);
    List<Path> signatures = new ArrayList<>();
    for (int i = 0; i < scenario.signers().size(); i++) {
      signatures.add(
          f.sign(
              i + "-" + scenario.signers().get(i) + ".sig", keys.get(scenario.signers().get(i))));
    }

    PolicyVerificationReport report =
        f.verifier(policy).build().check(f.model(), signatures, "fraud/detector", null);

    List<String> expected =
        scenario.refusals().stream().map(reason -> expand(reason, keys)).toList();
    assertThat(report.verified()).isEqualTo(scenario.verified());
    assertThat(report.signatures().stream().filter(o -> !o.counted()).map(SignatureOutcome::reason))
        .containsExactlyElementsOf(expected);
    assertThat(report.countedKeys()).hasSize(report.signatures().size() - expected.size());
  }

  private static String expand(String reason, Map<String, SigningKey> keys) {
    String result = reason;
    for (Map.Entry<String, SigningKey> key : keys.entrySet()) {
      result = result.replace("{" + key.getKey() + "}", id(key.getValue()));
    }
    return result;
  }
}
