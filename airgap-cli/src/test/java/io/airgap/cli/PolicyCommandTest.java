package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site's 2-of-3 policy set up and used entirely from the command line. */
class PolicyCommandTest {
  @TempDir Path temp;

  private Path p(String name) {
    return temp.resolve(name);
  }

  private Path model;

  @BeforeEach
  void setUpSite() throws Exception {
    for (String key : new String[] {"root1", "root2", "root3", "alice", "bob", "carol"}) {
      assertThat(run("key", "generate", "--out", p(key)).code()).isZero();
    }
    model = Files.createDirectories(p("detector"));
    Files.writeString(model.resolve("weights.bin"), "weights");
    assertThat(
            run(
                    "policy",
                    "init",
                    "--out",
                    p("draft.json"),
                    "--expires",
                    "2099-01-01T00:00:00Z",
                    "--root-key",
                    p("root1.pub.pem"),
                    "--root-key",
                    p("root2.pub.pem"),
                    "--root-key",
                    p("root3.pub.pem"),
                    "--root-threshold",
                    "2")
                .code())
        .isZero();
    for (String key : new String[] {"alice", "bob", "carol"}) {
      assertThat(
              run("policy", "add-key", p("draft.json"), "--public-key", p(key + ".pub.pem")).code())
          .isZero();
    }
    assertThat(
            run(
                    "policy",
                    "add-role",
                    p("draft.json"),
                    "--name",
                    "fraud",
                    "--model",
                    "fraud/*",
                    "--key",
                    p("alice.pub.pem"),
                    "--key",
                    p("bob.pub.pem"),
                    "--key",
                    p("carol.pub.pem"),
                    "--threshold",
                    "2")
                .code())
        .isZero();
    assertThat(
            run(
                    "policy",
                    "sign",
                    p("draft.json"),
                    "--private-key",
                    p("root1.pem"),
                    "--out",
                    p("policy.json"))
                .code())
        .isZero();
    assertThat(run("policy", "sign", p("policy.json"), "--private-key", p("root2.pem")).code())
        .isZero();
    run("sign", "key", model, "--private-key", p("alice.pem"), "--signature", p("alice.sig"));
    run("sign", "key", model, "--private-key", p("bob.pem"), "--signature", p("bob.sig"));
  }

  private CommandRunner.Result verify(String version, Object... signatures) {
    java.util.List<Object> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "verify",
                "policy",
                model,
                "--policy",
                p("policy.json"),
                "--state",
                p("state.json"),
                "--model-name",
                "fraud/detector",
                "--model-version",
                version));
    for (Object signature : signatures) {
      args.add("--signature");
      args.add(signature);
    }
    return run(args.toArray());
  }

  @Test
  void twoOfThreeSignaturesVerify() {
    CommandRunner.Result result = verify("3", p("alice.sig"), p("bob.sig"));

    assertThat(result.code()).isZero();
    assertThat(result.err())
        .isEqualTo(
            "model fraud/detector version 3 under policy version 1, role fraud: 2 of 2 required"
                + " signatures (verified)\n");
    assertThat(Files.exists(p("state.json"))).isTrue();
  }

  @Test
  void signatureNamingAnotherModelDoesNotCount() {
    String[] sign = {"sign", "key", model.toString(), "--private-key", "", "--signature", ""};
    sign[4] = p("alice.pem").toString();
    sign[6] = p("alice-named.sig").toString();
    assertThat(run(append(sign, "--model-name", "fraud/detector")).code()).isZero();
    sign[4] = p("bob.pem").toString();
    sign[6] = p("bob-named.sig").toString();
    assertThat(run(append(sign, "--model-name", "fraud/experiment")).code()).isZero();

    CommandRunner.Result result = verify("3", p("alice-named.sig"), p("bob-named.sig"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "model fraud/detector version 3 under policy version 1, role fraud: 1 of 2 required"
                + " signatures (NOT verified); not counted: ["
                + p("bob-named.sig")
                + " signatures[0]: it signs model 'fraud/experiment', not 'fraud/detector']\n");
    assertThat(Files.exists(p("state.json"))).isFalse();
  }

  @Test
  void badModelNameIsAUsageError() {
    CommandRunner.Result result =
        run("sign", "key", model, "--private-key", p("alice.pem"), "--model-name", " fraud");

    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .startsWith(
            "--model-name: model name ' fraud' starts or ends with a space\nUsage: airgap sign key");
  }

  private static Object[] append(String[] args, String... more) {
    java.util.List<Object> all = new java.util.ArrayList<>(java.util.List.of(args));
    all.addAll(java.util.List.of(more));
    return all.toArray();
  }

  @Test
  void oneSignatureExitsOne() {
    CommandRunner.Result result = verify("3", p("alice.sig"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("1 of 2 required signatures (NOT verified)");
    assertThat(Files.exists(p("state.json"))).isFalse();
  }

  @Test
  void olderModelVersionIsRefusedWithBothVersions() {
    verify("3", p("alice.sig"), p("bob.sig"));

    CommandRunner.Result result = verify("2", p("alice.sig"), p("bob.sig"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            "airgap: model fraud/detector version 2 is older than version 3 already accepted;"
                + " deploy version 3 or newer\n");
  }

  @Test
  void policySignedByOneRootKeyIsRefused() throws Exception {
    run(
        "policy",
        "sign",
        p("draft.json"),
        "--private-key",
        p("root1.pem"),
        "--out",
        p("weak.json"));

    CommandRunner.Result result = run("policy", "verify", p("weak.json"));

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .startsWith(
            "airgap: policy version 1 is signed by 1 of the 2 keys of the root of policy version 1"
                + " it needs");
  }

  @Test
  void signedPolicyCannotBeEditedInPlace() {
    CommandRunner.Result result =
        run("policy", "add-key", p("policy.json"), "--public-key", p("root3.pub.pem"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .isEqualTo(
            "airgap: policy file "
                + p("policy.json")
                + " is signed; editing it would void the"
                + " signatures. Start the next version with 'airgap policy init --from "
                + p("policy.json")
                + "'\n");
  }

  @Test
  void rotationToVersionTwoIsFollowed() {
    verify("3", p("alice.sig"), p("bob.sig"));
    run(
        "policy",
        "init",
        "--from",
        p("policy.json"),
        "--out",
        p("draft2.json"),
        "--expires",
        "2099-06-01T00:00:00Z");
    run(
        "policy",
        "sign",
        p("draft2.json"),
        "--private-key",
        p("root2.pem"),
        "--out",
        p("policy2.json"));
    run("policy", "sign", p("policy2.json"), "--private-key", p("root3.pem"));

    CommandRunner.Result result =
        run(
            "verify",
            "policy",
            model,
            "--policy",
            p("policy2.json"),
            "--state",
            p("state.json"),
            "--model-name",
            "fraud/detector",
            "--model-version",
            "3",
            "--signature",
            p("alice.sig"),
            "--signature",
            p("bob.sig"),
            "--json");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("\"policyVersion\": 2,")
        .contains("\"policiesAccepted\": [\n    2\n  ],");
  }

  @Test
  void showListsRootRolesKeysAndSignatures() {
    CommandRunner.Result result = run("policy", "show", p("policy.json"));

    assertThat(result.code()).isZero();
    assertThat(result.out().lines())
        .hasSize(1 + 1 + 1 + 6 + 2)
        .anySatisfy(line -> assertThat(line).startsWith("role fraud [fraud/*]: 2 of ["));
  }

  @Test
  void aKeyIsRevokedOrRemovedFromADraftAndAMistakeIsAUsageError() throws Exception {
    String bob =
        io.airgap.core.trust.TrustedKey.idOf(
            io.airgap.core.signing.Pem.readPublicKey(p("bob.pub.pem")));
    CommandRunner.Result again =
        run("policy", "add-key", p("draft.json"), "--public-key", p("bob.pub.pem"));
    CommandRunner.Result inRole = run("policy", "remove-key", p("draft.json"), "--key", bob);
    run("key", "generate", "--out", p("dave"));
    run("policy", "add-key", p("draft.json"), "--public-key", p("dave.pub.pem"));
    CommandRunner.Result revoked =
        run(
            "policy",
            "revoke-key",
            p("draft.json"),
            "--key",
            p("dave.pub.pem"),
            "--reason",
            "laptop lost");
    CommandRunner.Result removed =
        run("policy", "remove-key", p("draft.json"), "--key", p("dave.pub.pem"));
    CommandRunner.Result unknown =
        run("policy", "revoke-key", p("draft.json"), "--key", p("dave.pub.pem"), "--reason", "x");

    assertThat(again.code()).isEqualTo(2);
    assertThat(again.err()).startsWith("key " + bob + " is in the policy already\n");
    assertThat(inRole.code()).isEqualTo(2);
    assertThat(inRole.err())
        .startsWith(
            "keyId "
                + bob
                + " is named by role fraud; take it out of them first, or revoke it instead\n");
    assertThat(revoked.code()).as(revoked.err()).isZero();
    assertThat(removed.code()).as(removed.err()).isZero();
    assertThat(removed.err())
        .startsWith("key ")
        .endsWith(" removed from " + p("draft.json") + "\n");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("keyId ").contains(" is not a key of the policy\n");
    assertThat(run("policy", "show", p("draft.json")).out()).doesNotContain("REVOKED");
  }
}
