package io.airgap.core.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Editing a policy by copies: each change checked, with the parameter at fault named. */
class TrustPolicyEditTest {
  private static final Instant EXPIRES = Instant.parse("2027-01-01T00:00:00Z");
  private static final Instant LATER = Instant.parse("2027-06-01T00:00:00Z");
  private static final Instant LOST = Instant.parse("2026-05-02T09:00:00Z");

  private final PublicKey a = Pem.generate(KeyType.ECDSA_P256).publicKey();
  private final PublicKey b = Pem.generate(KeyType.ECDSA_P256).publicKey();
  private final PublicKey c = Pem.generate(KeyType.ED25519).publicKey();
  private final PublicKey alice = Pem.generate(KeyType.ECDSA_P256).publicKey();
  private final PublicKey bob = Pem.generate(KeyType.ED25519).publicKey();

  private static String id(PublicKey key) {
    return TrustedKey.idOf(key);
  }

  /** Version 1, root a and b (2 of 2), alice and bob listed, role fraud (fraud/*, 1 of alice). */
  private TrustPolicy site() {
    return TrustPolicy.first(EXPIRES, List.of(a, b), 2)
        .withKey(TrustedKey.of(alice))
        .withKey(TrustedKey.of(bob))
        .withRole(new Role("fraud", List.of("fraud/*"), new KeyThreshold(List.of(id(alice)), 1)));
  }

  @Test
  void aFirstPolicyListsItsRootKeysAndNoRoles() {
    TrustPolicy policy = TrustPolicy.first(EXPIRES, List.of(a, b), 2);

    assertThat(policy.version()).isEqualTo(1);
    assertThat(policy.expires()).isEqualTo(EXPIRES);
    assertThat(policy.keys()).containsOnlyKeys(id(a), id(b));
    assertThat(policy.root()).isEqualTo(new KeyThreshold(List.of(id(a), id(b)), 2));
    assertThat(policy.roles()).isEmpty();
  }

  @Test
  void aFirstPolicyRefusesNoRootKeyADuplicateAndAThresholdTheyCannotMeet() {
    assertThatThrownBy(() -> TrustPolicy.first(EXPIRES, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootKeys is empty; a policy needs at least one root key");
    assertThatThrownBy(() -> TrustPolicy.first(EXPIRES, List.of(a, b, a), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootKeys lists key " + id(a) + " twice");
    assertThatThrownBy(() -> TrustPolicy.first(EXPIRES, List.of(a, b), 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootThreshold: threshold 3 cannot be met by 2 keys");
  }

  @Test
  void theNextVersionAddsOneAndKeepsKeysRolesAndRoot() {
    TrustPolicy policy = site();

    TrustPolicy next = policy.nextVersion(LATER);

    assertThat(next.version()).isEqualTo(2);
    assertThat(next.expires()).isEqualTo(LATER);
    assertThat(next.keys()).isEqualTo(policy.keys());
    assertThat(next.roles()).isEqualTo(policy.roles());
    assertThat(next.root()).isEqualTo(policy.root());
    assertThat(policy.version()).isEqualTo(1); // the original is unchanged
  }

  @Test
  void theLargestVersionHasNoNextVersion() {
    TrustPolicy last =
        new TrustPolicy(Long.MAX_VALUE, EXPIRES, site().keys(), List.of(), site().root());

    assertThatThrownBy(() -> last.nextVersion(LATER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "policy version 9223372036854775807 is the largest possible; there is no next"
                + " version");
  }

  @Test
  void aKeyIsAddedOnce() {
    TrustPolicy policy = site();

    assertThat(policy.keys()).containsOnlyKeys(id(a), id(b), id(alice), id(bob));
    assertThatThrownBy(() -> policy.withKey(TrustedKey.of(alice)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key " + id(alice) + " is in the policy already");
  }

  @Test
  void aKeyWindowEndsNoEarlierThanItStarts() {
    TrustedKey key = TrustedKey.of(alice).withValidity(EXPIRES, LATER);

    assertThat(key.validFrom()).isEqualTo(EXPIRES);
    assertThat(key.validUntil()).isEqualTo(LATER);
    assertThatThrownBy(() -> TrustedKey.of(alice).withValidity(LATER, EXPIRES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("validFrom " + LATER + " is after validUntil " + EXPIRES);
  }

  @Test
  void aRoleOfTheSameNameIsReplacedInItsPlace() {
    TrustPolicy policy =
        site()
            .withRole(
                new Role("scoring", List.of("scoring"), new KeyThreshold(List.of(id(bob)), 1)));

    TrustPolicy changed =
        policy.withRole(
            new Role(
                "fraud", List.of("fraud/*"), new KeyThreshold(List.of(id(alice), id(bob)), 2)));

    assertThat(changed.roles()).extracting(Role::name).containsExactly("fraud", "scoring");
    assertThat(changed.roles().get(0).signers().threshold()).isEqualTo(2);
  }

  @Test
  void aRoleNamingAnUnlistedKeyOrAnotherRolesPatternIsRefused() {
    TrustPolicy policy = site();

    assertThatThrownBy(
            () ->
                policy.withRole(
                    new Role("scoring", List.of("scoring"), new KeyThreshold(List.of(id(c)), 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role scoring names key " + id(c) + ", which the policy does not list");
    assertThatThrownBy(
            () ->
                policy.withRole(
                    new Role("copy", List.of("fraud/*"), new KeyThreshold(List.of(id(bob)), 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pattern 'fraud/*' is in both role fraud and role copy");
  }

  @Test
  void aNewRootListsItsNewKeysAndKeepsTheOldOnesListed() {
    TrustPolicy rotated = site().nextVersion(LATER).withRoot(List.of(b, c), 1);

    assertThat(rotated.root()).isEqualTo(new KeyThreshold(List.of(id(b), id(c)), 1));
    assertThat(rotated.keys()).containsOnlyKeys(id(a), id(b), id(alice), id(bob), id(c));
    assertThat(rotated.withRootThreshold(2).root())
        .isEqualTo(new KeyThreshold(List.of(id(b), id(c)), 2));
    assertThatThrownBy(() -> rotated.withRootThreshold(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootThreshold: threshold 3 cannot be met by 2 keys");
    assertThatThrownBy(() -> rotated.withRoot(List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rootKeys is empty; a policy needs at least one root key");
  }

  @Test
  void aRevokedKeyStaysListedAndNeverCounts() {
    TrustPolicy revoked = site().revokeKey(id(alice), "laptop lost", LOST);

    TrustedKey key = revoked.keys().get(id(alice));
    assertThat(key.revocation()).isEqualTo(new TrustedKey.Revocation("laptop lost", LOST));
    assertThat(key.unusableAt(LOST, java.time.Duration.ZERO))
        .isEqualTo("key " + id(alice) + " is revoked: laptop lost");
    assertThat(revoked.roles()).isEqualTo(site().roles());
  }

  @Test
  void revokingAnUnknownKeyOrWithoutAReasonIsRefused() {
    TrustPolicy policy = site();

    assertThatThrownBy(() -> policy.revokeKey(id(c), "laptop lost", LOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyId " + id(c) + " is not a key of the policy");
    assertThatThrownBy(() -> policy.revokeKey(id(alice), " ", LOST))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason is blank; say why key " + id(alice) + " is revoked");
  }

  @Test
  void aKeyNoRoleAndNotTheRootNamesIsRemoved() {
    TrustPolicy removed = site().withoutKey(id(bob));

    assertThat(removed.keys()).containsOnlyKeys(id(a), id(b), id(alice));
  }

  @Test
  void aKeyStillInUseOrUnknownIsNotRemoved() {
    TrustPolicy policy = site().nextVersion(LATER).withRoot(List.of(a, alice), 2);

    assertThatThrownBy(() -> policy.withoutKey(id(alice)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "keyId "
                + id(alice)
                + " is named by the root, role fraud; take it out of them first, or revoke it"
                + " instead");
    assertThatThrownBy(() -> policy.withoutKey(id(c)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keyId " + id(c) + " is not a key of the policy");
  }

  @Test
  void anEditedPolicyReadsBackAsWritten() {
    TrustPolicy policy = site().revokeKey(id(bob), "left the team", LOST).withoutKey(id(bob));

    TrustPolicy read = TrustPolicyCodec.parse(TrustPolicyCodec.write(policy), "edited");

    assertThat(TrustPolicyCodec.write(read)).isEqualTo(TrustPolicyCodec.write(policy));
    assertThat(read.keys()).containsOnlyKeys(id(a), id(b), id(alice));
  }
}
