package io.airgap.core.trust;

import static io.airgap.core.trust.PolicyFixture.NOW;
import static io.airgap.core.trust.PolicyFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy trust and rotation: thresholds, exact version steps, expiry, rollback. */
class PolicyChainTest {
  @TempDir Path temp;

  private PolicyFixture f;
  private SignedPolicy v1;

  @BeforeEach
  void setUp() {
    f = new PolicyFixture(temp);
    v1 = f.draft().signedBy(f.a, f.b);
  }

  /** Version 2 moves the root to B, C, D (2 of 3). */
  private PolicyFixture.Draft rootRotation() {
    PolicyFixture.Draft draft = f.draft().version(2);
    draft.key(TrustedKey.of(f.d.publicKey()));
    draft.root = new KeyThreshold(List.of(id(f.b), id(f.c), id(f.d)), 2);
    return draft;
  }

  @Test
  void chainOfThreeVersionsIsWalked() {
    SignedPolicy v2 = rootRotation().signedBy(f.a, f.b, f.d);
    PolicyFixture.Draft third = rootRotation().version(3);
    SignedPolicy v3 = third.signedBy(f.c, f.d);

    PolicyChain.Walk walk = PolicyChain.walk(v1, List.of(v3, v1, v2), NOW, Duration.ZERO);

    assertThat(walk.current().version()).isEqualTo(3);
    assertThat(walk.accepted()).extracting(SignedPolicy::version).containsExactly(2L, 3L);
  }

  @Test
  void firstPolicyBelowItsOwnRootThresholdIsRefused() {
    SignedPolicy weak = f.draft().signedBy(f.a);

    assertThatThrownBy(() -> PolicyChain.trustFirst(weak, NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 1 is signed by 1 of the 2 keys of the root of policy version 1 it needs");
  }

  @Test
  void rotationNeedsTheOldRootThreshold() {
    SignedPolicy v2 = rootRotation().signedBy(f.b, f.d);

    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(v2), NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 2 is signed by 1 of the 2 keys of the root of policy version 1 it needs"
                + " [signatures[1]: no key of the policy verifies it]");
  }

  @Test
  void rotationNeedsTheNewRootThreshold() {
    SignedPolicy v2 = rootRotation().signedBy(f.a, f.b);

    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(v2), NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessageStartingWith(
            "policy version 2 is signed by 1 of the 2 keys of the root of policy version 2 it needs");
  }

  @Test
  void sameRootKeySigningTwiceCountsOnce() {
    SignedPolicy once = f.draft().version(2).signedBy(f.a);
    byte[] again = f.a.type().sign(f.a.privateKey(), once.envelope().signedBytes());
    SignedPolicy twice =
        once.withSignature(new io.airgap.core.signing.DsseEnvelope.Signature("", again));

    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(twice), NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 2 is signed by 1 of the 2 keys of the root of policy version 1 it needs"
                + " [signatures[1]: key "
                + id(f.a)
                + " already counted; each key counts once]");
  }

  @Test
  void skippedVersionIsRefused() {
    SignedPolicy v3 = f.draft().version(3).signedBy(f.a, f.b);

    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(v3), NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 3 cannot follow version 1: versions must increase by exactly 1"
                + " (version 2 is missing)");
  }

  @Test
  void repeatedVersionWithOtherContentIsRefused() {
    SignedPolicy other = f.draft().signedBy(f.a, f.c);
    PolicyFixture.Draft changed = f.draft();
    changed.expires = Instant.parse("2027-06-01T00:00:00Z");
    SignedPolicy changedV1 = changed.signedBy(f.a, f.b);

    assertThat(PolicyChain.walk(v1, List.of(other), NOW, Duration.ZERO).current()).isSameAs(v1);
    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(changedV1), NOW, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 1 (sha256 "
                + changedV1.digest().hex()
                + ") differs from the version 1"
                + " already accepted (sha256 "
                + v1.digest().hex()
                + "); a version may not be reused");
  }

  @Test
  void olderPolicyThanTheAcceptedOneIsARollback() {
    SignedPolicy v2 = f.draft().version(2).signedBy(f.a, f.b);

    assertThatThrownBy(() -> PolicyChain.walk(v2, List.of(v1), NOW, Duration.ZERO))
        .isInstanceOf(RollbackException.class)
        .hasMessage("policy version 1 is older than version 2 already accepted");
  }

  @Test
  void expiredPolicyIsRefusedUnlessWithinTolerance() {
    Instant late = Instant.parse("2027-01-01T00:30:00Z");

    assertThatThrownBy(() -> PolicyChain.walk(v1, List.of(), late, Duration.ZERO))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 1 expired on 2027-01-01T00:00:00Z (verification time"
                + " 2027-01-01T00:30:00Z)");
    assertThat(PolicyChain.walk(v1, List.of(), late, Duration.ofHours(1)).current()).isSameAs(v1);
  }
}
