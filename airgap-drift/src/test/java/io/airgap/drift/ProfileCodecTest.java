package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Profiles round-trip through their JSON, and malformed profiles are refused with the feature
 * named.
 */
class ProfileCodecTest {
  private static final NumericBins BINS = NumericBins.of(new double[] {0, 1, 2});

  private static List<FeatureProfile> sample() {
    NumericFeature small = new NumericFeature("age", BINS, 100);
    NumericFeature large = new NumericFeature("income", BINS, 5);
    for (int i = 0; i < 20; i++) {
      small.add(i / 10.0);
      large.add(i / 7.0);
    }
    small.add(Double.NaN);
    small.addMissing();
    CategoricalFeature country = new CategoricalFeature("country", List.of("de", "fr"));
    for (String c : new String[] {"de", "fr", "it", null}) {
      country.add(c);
    }
    return List.of(small, large, country);
  }

  private static String json() {
    return new String(ProfileCodec.write(sample()), StandardCharsets.UTF_8);
  }

  private static List<FeatureProfile> parse(String json) {
    return ProfileCodec.parse(json.getBytes(StandardCharsets.UTF_8), "ref.json");
  }

  @Test
  void profilesRoundTripExactly() {
    List<FeatureProfile> parsed = parse(json());
    // Written again before any query: a quantile query sorts the sketch's buffer, which changes
    // its bytes (not its content).
    assertThat(new String(ProfileCodec.write(parsed), StandardCharsets.UTF_8)).isEqualTo(json());

    NumericFeature age = (NumericFeature) parsed.get(0);
    NumericFeature income = (NumericFeature) parsed.get(1);
    CategoricalFeature country = (CategoricalFeature) parsed.get(2);
    NumericFeature original = (NumericFeature) sample().get(0);
    assertThat(age.binCounts()).containsExactly(original.binCounts());
    assertThat(age.mean()).isEqualTo(original.mean());
    assertThat(age.nan()).isEqualTo(1);
    assertThat(age.missing()).isEqualTo(1);
    assertThat(age.exactValues()).containsExactly(original.exactValues());
    assertThat(income.hasExactValues()).isFalse();
    assertThat(income.quantile(0.5)).isEqualTo(((NumericFeature) sample().get(1)).quantile(0.5));
    assertThat(country.counts()).containsExactly(1, 1, 1);
  }

  @Test
  void mergedRestoredProfilesStillAddUp() {
    NumericFeature a = (NumericFeature) parse(json()).get(0);
    NumericFeature b = (NumericFeature) parse(json()).get(0);

    a.merge(b);

    assertThat(a.count()).isEqualTo(40);
    assertThat(a.exactValues()).hasSize(40);
  }

  @Test
  void unknownVersionIsRefused() {
    assertThatThrownBy(() -> parse(json().replace("\"schemaVersion\": 1", "\"schemaVersion\": 2")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json: profile schemaVersion 2 is not supported; this reads 1");
  }

  @Test
  void negativeCountIsRefused() {
    assertThatThrownBy(() -> parse(json().replaceFirst("\"missing\": 1", "\"missing\": -1")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json feature age: 'missing' is negative (-1)");
  }

  @Test
  void binCountsThatDisagreeWithTheCountAreRefused() {
    assertThatThrownBy(() -> parse(json().replaceFirst("\"count\": 20", "\"count\": 21")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "numeric feature age: counts disagree (bins hold 20, count 21) or are negative");
  }

  @Test
  void missingFieldAndUnknownFieldAreRefused() {
    assertThatThrownBy(() -> parse(json().replaceFirst("\"kll\"", "\"sketch\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json feature age: unknown field 'sketch'");
    assertThatThrownBy(
            () -> parse(json().replaceFirst("\"type\": \"numeric\"", "\"type\": \"text\"")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json feature age: unknown type 'text'");
  }

  @Test
  void mismatchedEdgesAndCountsAreRefused() {
    String withMoreEdges = json().replaceFirst("\"edges\": \\[", "\"edges\": [ -1.0,");

    assertThatThrownBy(() -> parse(withMoreEdges))
        .isInstanceOf(FormatException.class)
        .hasMessage("numeric feature age: 4 bin counts for 5 bins");
  }

  private static String binaryJson() {
    NumericFeature flag = new NumericFeature("flag", BINS, 2);
    for (int i = 0; i < 5; i++) {
      flag.add(i % 2);
    }
    return new String(ProfileCodec.write(List.of(flag)), StandardCharsets.UTF_8);
  }

  @Test
  void fewDistinctValuesAreKeptPastTheExactLimit() {
    String json = binaryJson();
    assertThat(json.replaceAll("\\s", "")).contains("\"fewValues\":[0.0,1.0],\"fewCounts\":[3,2]");
    assertThat(json()).doesNotContain("fewValues"); // age has 20 distinct values

    NumericFeature flag = (NumericFeature) parse(json).get(0);

    assertThat(flag.hasExactValues()).isFalse();
    assertThat(flag.fewValues().values()).containsExactly(0.0, 1.0);
    assertThat(flag.fewValues().counts(new double[] {1.0, 0.0})).containsExactly(2, 3);
  }

  @Test
  void fewValueCountsMustAddUpToTheCount() {
    String compact = binaryJson().replaceAll("\\s", "");
    assertThatThrownBy(() -> parse(compact.replace("[3,2]", "[3,1]")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json feature flag: few-value counts add up to 4, count says 5");
    assertThatThrownBy(() -> parse(compact.replace("[0.0,1.0]", "[1.0,1.0]")))
        .isInstanceOf(FormatException.class)
        .hasMessage("ref.json feature flag: few value 1.0 with count 2 is not allowed");
    assertThatThrownBy(() -> parse(compact.replace("[3,2]", "[3,2,0]")))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "ref.json feature flag: 2 few values with 3 counts (at most 5 of each, as many counts"
                + " as values)");
  }
}
