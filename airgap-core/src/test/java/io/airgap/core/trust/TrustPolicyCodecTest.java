package io.airgap.core.trust;

import static io.airgap.core.trust.PolicyFixture.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy document format: round trip and every malformed shape refused with its reason. */
class TrustPolicyCodecTest {
  @TempDir Path temp;

  private String json(TrustPolicy policy) {
    return new String(TrustPolicyCodec.write(policy), StandardCharsets.UTF_8);
  }

  private static TrustPolicy parse(String json) {
    return TrustPolicyCodec.parse(json.getBytes(StandardCharsets.UTF_8), "policy.json");
  }

  @Test
  void writtenPolicyParsesBackEqual() {
    PolicyFixture f = new PolicyFixture(temp);
    TrustPolicy policy = f.draft().build();

    TrustPolicy parsed = parse(json(policy));

    assertThat(parsed.version()).isEqualTo(1);
    assertThat(parsed.keys().keySet()).containsExactlyElementsOf(policy.keys().keySet());
    assertThat(parsed.roles()).isEqualTo(policy.roles());
    assertThat(parsed.root()).isEqualTo(policy.root());
    assertThat(json(parsed)).isEqualTo(json(policy));
  }

  @Test
  void unknownFieldIsRefused() {
    String text = json(new PolicyFixture(temp).draft().build());

    assertThatThrownBy(() -> parse(text.replaceFirst("\\{", "{\"delegations\": [],")))
        .isInstanceOf(FormatException.class)
        .hasMessage("policy.json: unknown field 'delegations'");
  }

  @Test
  void duplicateKeyIsRefused() {
    String text = json(new PolicyFixture(temp).draft().build());

    assertThatThrownBy(() -> parse(text.replaceFirst("\\{", "{\"version\": 9,")))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("policy.json is not valid JSON: Duplicate field 'version'");
  }

  @Test
  void keyListedUnderAnotherIdIsRefused() {
    PolicyFixture f = new PolicyFixture(temp);
    String text = json(f.draft().build());

    assertThatThrownBy(
            () -> parse(text.replace("\"" + id(f.k1) + "\": {", "\"" + "ab".repeat(32) + "\": {")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "policy.json keys."
                + "ab".repeat(32)
                + ": the key's SPKI SHA-256 is "
                + id(f.k1)
                + ", not its id");
  }

  @Test
  void thresholdAboveTheKeyCountIsRefused() {
    PolicyFixture f = new PolicyFixture(temp);
    String text = json(f.draft().build());

    assertThatThrownBy(() -> parse(text.replace("\"threshold\": 1", "\"threshold\": 2")))
        .isInstanceOf(FormatException.class)
        .hasMessage("policy.json roles[1]: threshold 2 cannot be met by 1 keys");
  }

  @Test
  void sameKeyTwiceInARoleIsRefused() {
    PolicyFixture f = new PolicyFixture(temp);
    String text = json(f.draft().build());
    String withDuplicate =
        text.replace(
            "\"" + id(f.k2) + "\",\n        \"" + id(f.k3) + "\"",
            "\"" + id(f.k2) + "\",\n        \"" + id(f.k2) + "\"");

    assertThatThrownBy(() -> parse(withDuplicate))
        .isInstanceOf(FormatException.class)
        .hasMessageStartingWith("policy.json roles[0]: a key is listed twice in");
  }

  @Test
  void badPatternIsRefused() {
    String text = json(new PolicyFixture(temp).draft().build());

    assertThatThrownBy(() -> parse(text.replace("\"fraud/*\"", "\"fraud*\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "policy.json roles[0]: role fraud: pattern 'fraud*' may use '*' only as a final '/*'"
                + " after a prefix");
  }

  @Test
  void exactPatternWinsOverPrefixAndLongestPrefixWins() {
    PolicyFixture f = new PolicyFixture(temp);
    PolicyFixture.Draft draft = f.draft();
    draft.roles.add(
        new Role(
            "fraud-eu",
            java.util.List.of("fraud/eu/*"),
            new KeyThreshold(java.util.List.of(id(f.k1)), 1)));
    draft.roles.add(
        new Role(
            "one",
            java.util.List.of("fraud/eu/special"),
            new KeyThreshold(java.util.List.of(id(f.k2)), 1)));
    TrustPolicy policy = draft.build();

    assertThat(policy.roleFor("fraud/us/x")).map(Role::name).contains("fraud");
    assertThat(policy.roleFor("fraud/eu/x")).map(Role::name).contains("fraud-eu");
    assertThat(policy.roleFor("fraud/eu/special")).map(Role::name).contains("one");
    assertThat(policy.roleFor("fraud")).isEmpty();
  }

  @Test
  void modelVersionsCompareNumberByNumber() {
    assertThat(ModelVersion.parse("1.10")).isGreaterThan(ModelVersion.parse("1.9"));
    assertThat(ModelVersion.parse("1.0")).isEqualTo(ModelVersion.parse("1"));
    assertThatThrownBy(() -> ModelVersion.parse("v1.2"))
        .isInstanceOf(FormatException.class)
        .hasMessage("model version 'v1.2' must be dotted decimal numbers such as 7 or 1.4.2");
  }
}
