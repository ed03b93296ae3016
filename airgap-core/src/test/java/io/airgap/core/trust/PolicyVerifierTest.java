package io.airgap.core.trust;

import static io.airgap.core.trust.PolicyFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model verification under a trust policy: each scenario asserts the decision and the report. */
class PolicyVerifierTest {
  @TempDir Path temp;

  private PolicyFixture f;
  private SignedPolicy v1;

  @BeforeEach
  void setUp() {
    f = new PolicyFixture(temp);
    v1 = f.draft().signedBy(f.a, f.b);
  }

  private PolicyVerificationReport verify(SignedPolicy policy, List<Path> signatures) {
    return f.verifier(policy).build().check(f.model(), signatures, "fraud/detector", null);
  }

  @Test
  void twoOfThreeRoleKeysMeetTheThreshold() {
    PolicyVerificationReport report =
        verify(v1, List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2)));

    assertThat(report.verified()).isTrue();
    assertThat(report.role()).isEqualTo("fraud");
    assertThat(report.countedKeys()).containsExactlyInAnyOrder(id(f.k1), id(f.k2));
    assertThat(report.signatures())
        .containsExactly(
            SignatureOutcome.counted(temp.resolve("k1.sig") + " signatures[0]", id(f.k1)),
            SignatureOutcome.counted(temp.resolve("k2.sig") + " signatures[0]", id(f.k2)));
    assertThat(report.summary())
        .isEqualTo(
            "model fraud/detector under policy version 1, role fraud: 2 of 2 required signatures"
                + " (verified)");
  }

  @Test
  void oneSignatureIsBelowThreshold() {
    PolicyVerificationReport report = verify(v1, List.of(f.sign("k1.sig", f.k1)));

    assertThat(report.verified()).isFalse();
    assertThat(report.countedKeys()).containsExactly(id(f.k1));
    assertThatThrownBy(
            () ->
                f.verifier(v1)
                    .build()
                    .verify(f.model(), List.of(temp.resolve("k1.sig")), "fraud/detector", null))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "model fraud/detector under policy version 1, role fraud: 1 of 2 required signatures"
                + " (NOT verified)")
        .satisfies(
            e ->
                assertThat(((TrustException) e).report().orElseThrow().countedKeys())
                    .containsExactly(id(f.k1)));
  }

  @Test
  void severalSignaturesInOneBundleCount() throws Exception {
    PolicyVerificationReport report = verify(v1, List.of(f.signTogether("both.sig", f.k1, f.k3)));

    assertThat(report.verified()).isTrue();
    assertThat(report.signatures())
        .containsExactly(
            SignatureOutcome.counted(temp.resolve("both.sig") + " signatures[0]", id(f.k1)),
            SignatureOutcome.counted(temp.resolve("both.sig") + " signatures[1]", id(f.k3)));
  }

  @Test
  void clockBeforeKeyValidityDoesNotCountUnlessWithinTolerance() {
    Instant later = Instant.parse("2026-06-01T00:05:00Z");
    SignedPolicy policy =
        f.draft()
            .key(new TrustedKey(id(f.k2), f.k2.type(), f.k2.publicKey(), later, null, null))
            .signedBy(f.a, f.b);
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));

    PolicyVerificationReport strict = verify(policy, signatures);
    PolicyVerificationReport tolerant =
        f.verifier(policy)
            .clockTolerance(java.time.Duration.ofMinutes(10))
            .build()
            .check(f.model(), signatures, "fraud/detector", null);

    assertThat(strict.signatures().get(1).reason())
        .isEqualTo(
            "key "
                + id(f.k2)
                + " is not valid before 2026-06-01T00:05:00Z (verification time"
                + " 2026-06-01T00:00:00Z)");
    assertThat(tolerant.verified()).isTrue();
  }

  @Test
  void modelNameNoRoleCoversIsRefused() {
    assertThatThrownBy(
            () ->
                f.verifier(v1)
                    .build()
                    .check(f.model(), List.of(f.sign("k1.sig", f.k1)), "other/model", null))
        .isInstanceOf(TrustException.class)
        .hasMessage("no role of policy version 1 covers model name 'other/model'");
  }

  @Test
  void signaturesForAnotherModelOfTheRoleDoNotCount() {
    // Both keys may sign every fraud/* model; what they signed is fraud/experiment, and a host
    // deploying fraud/detector must not accept it under that name.
    List<Path> signatures =
        List.of(
            f.signAs("k1.sig", f.k1, "fraud/experiment"),
            f.signAs("k2.sig", f.k2, "fraud/experiment"));

    PolicyVerificationReport report = verify(v1, signatures);

    assertThat(report.verified()).isFalse();
    assertThat(report.signatures())
        .extracting(SignatureOutcome::reason)
        .containsExactly(
            "it signs model 'fraud/experiment', not 'fraud/detector'",
            "it signs model 'fraud/experiment', not 'fraud/detector'");
    assertThat(
            f.verifier(v1)
                .build()
                .check(f.model(), signatures, "fraud/experiment", null)
                .verified())
        .isTrue();
  }

  @Test
  void directoryNameOmsToolsSignCountsForTheNameEndingInIt() {
    List<Path> signatures =
        List.of(f.signAs("k1.sig", f.k1, "detector"), f.signAs("k2.sig", f.k2, "detector"));

    assertThat(verify(v1, signatures).verified()).isTrue();
    PolicyVerificationReport other =
        f.verifier(v1).build().check(f.model(), signatures, "fraud/other-detector", null);
    assertThat(other.verified()).isFalse();
    assertThat(other.signatures().get(0).reason())
        .isEqualTo("it signs model 'detector', not 'fraud/other-detector'");
  }

  @Test
  void signedNamesMatchWholeSegments() {
    assertThat(PolicyVerifier.namesModel("fraud/detector", "fraud/detector")).isTrue();
    assertThat(PolicyVerifier.namesModel("detector", "fraud/detector")).isTrue();
    assertThat(PolicyVerifier.namesModel("detector", "detector")).isTrue();
    assertThat(PolicyVerifier.namesModel("tector", "fraud/detector")).isFalse();
    assertThat(PolicyVerifier.namesModel("x/detector", "fraud/detector")).isFalse();
    assertThat(PolicyVerifier.namesModel("fraud/detector", "detector")).isFalse();
    assertThat(PolicyVerifier.namesModel("fraud", "fraud/detector")).isFalse();
  }

  @Test
  void tamperedModelDoesNotCount() throws Exception {
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    Files.writeString(f.model().resolve("config.json"), "{\"layers\": 3}");

    PolicyVerificationReport report = verify(v1, signatures);

    assertThat(report.verified()).isFalse();
    assertThat(report.signatures().get(0).reason())
        .isEqualTo("the model does not match the manifest it signs: modified [config.json]");
  }

  @Test
  void modelRollbackIsRefusedAndStateIsUnchanged() throws Exception {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    PolicyVerifier verifier = f.verifier(v1).stateFile(state).build();
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("1.10"));
    byte[] before = Files.readAllBytes(state);

    assertThatThrownBy(
            () ->
                verifier.check(f.model(), signatures, "fraud/detector", ModelVersion.parse("1.9")))
        .isInstanceOf(RollbackException.class)
        .hasMessage(
            "model fraud/detector version 1.9 is older than version 1.10 already accepted; deploy"
                + " version 1.10 or newer");
    assertThat(Files.readAllBytes(state)).isEqualTo(before);
    PolicyVerificationReport same =
        verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("1.10.0"));
    assertThat(same.previousVersion()).hasToString("1.10");
  }

  @Test
  void fastForwardIsUndoneByAPolicyThatChangesTheRoleKeys() throws Exception {
    Path state = temp.resolve("state.json");
    // K1 and K2 were stolen and pushed fraud/detector to version 999.
    acceptUnderV1(state, "999");
    PolicyFixture.Draft rotated = f.draft().version(2);
    rotated.roles.set(
        0, new Role("fraud", List.of("fraud/*"), new KeyThreshold(List.of(id(f.k3), id(f.k4)), 2)));
    SignedPolicy v2 = rotated.signedBy(f.a, f.b);

    PolicyVerificationReport report =
        f.verifier(v2)
            .stateFile(state)
            .build()
            .verify(
                f.model(),
                List.of(f.sign("k3.sig", f.k3), f.sign("k4.sig", f.k4)),
                "fraud/detector",
                ModelVersion.parse("5"));

    assertThat(report.policiesAccepted()).containsExactly(2L);
    assertThat(report.resetModels()).containsExactly("fraud/detector");
    assertThat(report.previousVersion()).isNull();
    assertThat(TrustState.read(state).models())
        .containsEntry("fraud/detector", ModelVersion.parse("5"));
  }

  @Test
  void revokingASignerKeyResetsButAddingOneDoesNot() throws Exception {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k3.sig", f.k3));
    f.verifier(v1)
        .stateFile(state)
        .build()
        .verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("50"));
    PolicyFixture.Draft added = f.draft().version(2);
    added.key(TrustedKey.of(f.d.publicKey()));
    added.roles.set(
        0,
        new Role(
            "fraud",
            List.of("fraud/*"),
            new KeyThreshold(List.of(id(f.k1), id(f.k2), id(f.k3), id(f.d)), 3)));
    SignedPolicy v2 = added.signedBy(f.a, f.b);
    PolicyFixture.Draft revoked = f.draft().version(3);
    revoked.key(TrustedKey.of(f.d.publicKey()));
    revoked.roles.set(0, added.roles.get(0));
    revoked.key(
        new TrustedKey(
            id(f.k2),
            f.k2.type(),
            f.k2.publicKey(),
            null,
            null,
            new TrustedKey.Revocation("stolen", null)));
    SignedPolicy v3 = revoked.signedBy(f.a, f.b);
    List<Path> three =
        List.of(f.sign("k1.sig", f.k1), f.sign("k3.sig", f.k3), f.sign("d.sig", f.d));

    PolicyVerificationReport afterAdding =
        f.verifier(v2)
            .stateFile(state)
            .build()
            .verify(f.model(), three, "fraud/detector", ModelVersion.parse("50"));
    PolicyVerificationReport afterRevoking =
        f.verifier(v3)
            .stateFile(state)
            .build()
            .verify(f.model(), three, "fraud/detector", ModelVersion.parse("7"));

    assertThat(afterAdding.resetModels()).isEmpty();
    assertThat(afterAdding.previousVersion()).hasToString("50");
    assertThat(afterRevoking.resetModels()).containsExactly("fraud/detector");
    assertThat(afterRevoking.previousVersion()).isNull();
  }

  @Test
  void recordedModelNeedsAVersion() {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    PolicyVerifier verifier = f.verifier(v1).stateFile(state).build();
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("4"));

    assertThatThrownBy(() -> verifier.check(f.model(), signatures, "fraud/detector", null))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "model fraud/detector has version 4 recorded in the trust state; give the version being"
                + " deployed (modelVersion) so that an older one cannot pass unchecked");
  }

  @Test
  void signedNameIsUsedOnlyWhenTheSignaturesAgree() {
    PolicyFixture.Draft draft = f.draft();
    draft.roles.add(
        new Role("plain", List.of("model"), new KeyThreshold(List.of(id(f.k1), id(f.k2)), 2)));
    SignedPolicy policy = draft.signedBy(f.a, f.b);
    List<Path> signatures =
        List.of(f.signAs("k1.sig", f.k1, "model"), f.signAs("k2.sig", f.k2, "model"));

    PolicyVerificationReport report =
        f.verifier(policy).build().check(f.model(), signatures, null, null);

    assertThat(report.modelName()).isEqualTo("model");
    assertThat(report.role()).isEqualTo("plain");
    assertThatThrownBy(
            () ->
                f.verifier(policy)
                    .build()
                    .check(f.model(), List.of(f.sign("d.sig", f.d)), null, null))
        .isInstanceOf(TrustException.class)
        .hasMessage("no signature offered is by a key of policy version 1");
  }

  @Test
  void pinnedFirstPolicyRefusesAnyOther() {
    PolicyFixture g = new PolicyFixture(temp);
    SignedPolicy selfSigned = g.draft().signedBy(g.a, g.b);
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));

    assertThat(
            f.verifier(v1)
                .trustedRoot(v1.digest())
                .build()
                .check(f.model(), signatures, "fraud/detector", null)
                .verified())
        .isTrue();
    assertThatThrownBy(
            () ->
                f.verifier(selfSigned)
                    .trustedRoot(v1.digest())
                    .build()
                    .check(f.model(), signatures, "fraud/detector", null))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "policy version 1 (sha256 "
                + selfSigned.digest().hex()
                + ") is not the pinned first"
                + " policy (sha256 "
                + v1.digest().hex()
                + ")");
  }

  @Test
  void clockSetBackBehindTheStateIsRefused() {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    f.verifier(v1)
        .stateFile(state)
        .build()
        .verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("1"));
    Clock earlier = Clock.fixed(Instant.parse("2026-05-01T00:00:00Z"), ZoneOffset.UTC);

    assertThatThrownBy(
            () ->
                f.verifier(v1)
                    .clock(earlier)
                    .stateFile(state)
                    .build()
                    .check(f.model(), signatures, "fraud/detector", ModelVersion.parse("1")))
        .isInstanceOf(TrustException.class)
        .hasMessage(
            "verification time 2026-05-01T00:00:00Z is before 2026-06-01T00:00:00Z, the latest"
                + " time this trust state has accepted: the clock has been set back; fix the clock"
                + " or give the real time");
  }

  @Test
  void corruptStateIsRefusedNotReset() throws Exception {
    Path state =
        Files.writeString(temp.resolve("state.json"), "{\"schemaVersion\": 1, \"models\": ");
    Files.writeString(temp.resolve("state.json.journal"), "1 " + "0".repeat(64) + " pending\n");

    assertThatThrownBy(
            () ->
                f.verifier(v1)
                    .stateFile(state)
                    .build()
                    .check(f.model(), List.of(f.sign("k1.sig", f.k1)), "fraud/detector", null))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("trust state " + state + " is not valid JSON")
        .hasMessageEndingWith(
            "; the state is refused, not reset: restore it and its journal from the same backup,"
                + " or delete both deliberately to trust the next policy from scratch");
    assertThat(Files.readString(state)).isEqualTo("{\"schemaVersion\": 1, \"models\": ");
  }

  @Test
  void stateRestoredFromAnOlderCopyIsRefused() throws Exception {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    PolicyVerifier verifier = f.verifier(v1).stateFile(state).build();
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("1"));
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("2"));
    byte[] old = Files.readAllBytes(state);
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("3"));
    Files.write(state, old);

    assertThatThrownBy(
            () -> verifier.check(f.model(), signatures, "fraud/detector", ModelVersion.parse("1")))
        .isInstanceOf(RollbackException.class)
        .hasMessageStartingWith(
            "trust state "
                + state
                + " is write 2 but its journal ends at write 3: it was rolled"
                + " back or replaced; the state is refused, not reset");
    assertThat(Files.readAllBytes(state)).isEqualTo(old);
  }

  @Test
  void deletedStateWithItsJournalLeftIsRefused() throws Exception {
    Path state = temp.resolve("state.json");
    List<Path> signatures = List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2));
    PolicyVerifier verifier = f.verifier(v1).stateFile(state).build();
    verifier.verify(f.model(), signatures, "fraud/detector", ModelVersion.parse("4"));
    Files.delete(state);

    assertThatThrownBy(
            () -> verifier.check(f.model(), signatures, "fraud/detector", ModelVersion.parse("1")))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "trust state " + state + " is missing but its journal records write 1;");
  }

  @Test
  void stateWhosePolicyDigestWasEditedIsRefused() throws Exception {
    Path state = temp.resolve("state.json");
    acceptUnderV1(state, "1");
    String text = Files.readString(state);
    Files.writeString(state, text.replace(v1.digest().hex(), "0".repeat(64)));

    assertThatThrownBy(() -> TrustState.read(state))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith(
            "trust state " + state + ": the recorded policy version or digest does not match");
  }

  /**
   * Accepts fraud/detector at a version under policy v1, signed by K1 and K2, into a state file.
   */
  private void acceptUnderV1(Path state, String version) {
    f.verifier(v1)
        .stateFile(state)
        .build()
        .verify(
            f.model(),
            List.of(f.sign("k1.sig", f.k1), f.sign("k2.sig", f.k2)),
            "fraud/detector",
            ModelVersion.parse(version));
  }
}
