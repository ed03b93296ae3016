package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dataset profiles: reference freezing, live copies, merging and the JSON round trip. */
class DriftProfileTest {
  private static DriftProfile reference() {
    return DriftProfile.builder()
        .bins(4)
        .exactLimit(100)
        .maxCategories(2)
        .numeric("age", new double[] {20, 30, 40, 50, 60, Double.NaN})
        .categorical("country", new String[] {"fr", "de", "de", "it", null})
        .build();
  }

  @Test
  void namesListTheFeaturesInProfileOrder() {
    assertThat(reference().names()).containsExactly("age", "country");
  }

  @Test
  void referenceFreezesQuantileBinsAndTheMostFrequentCategories() {
    DriftProfile profile = reference();

    NumericFeature age = profile.numeric("age");
    CategoricalFeature country = profile.categorical("country");
    assertThat(age.bins().edges()).containsExactly(20, 30, 40, 50, 60);
    assertThat(age.binCounts()).containsExactly(0, 1, 1, 1, 2, 0);
    assertThat(age.nan()).isEqualTo(1);
    assertThat(country.dictionary()).containsExactly("de", "fr");
    assertThat(country.counts()).containsExactly(2, 1, 1);
    assertThat(country.missing()).isEqualTo(1);
  }

  @Test
  void liveProfilesShareTheFrozenBinsAndMergeByAddition() {
    DriftProfile reference = reference();
    DriftProfile a = reference.newLive();
    DriftProfile b = reference.newLive();
    a.numeric("age").add(70);
    b.numeric("age").add(10);
    b.categorical("country").add("es");

    a.merge(b);

    assertThat(a.numeric("age").binCounts()).containsExactly(1, 0, 0, 0, 0, 1);
    assertThat(a.categorical("country").counts()).containsExactly(0, 0, 1);
  }

  @Test
  void profilesOfOtherFeaturesOrBinsDoNotMerge() {
    DriftProfile live = reference().newLive();
    DriftProfile other =
        DriftProfile.builder().bins(4).numeric("age", new double[] {1, 2, 3}).build();

    assertThatThrownBy(() -> live.merge(other))
        .isInstanceOf(FormatException.class)
        .hasMessage("cannot merge profiles of features [age] into [age, country]");
    DriftProfile sameFeaturesOtherBins =
        DriftProfile.builder()
            .bins(4)
            .exactLimit(100)
            .maxCategories(2)
            .numeric("age", new double[] {1, 2, 3})
            .categorical("country", new String[] {"de", "fr"})
            .build();
    assertThatThrownBy(() -> live.merge(sameFeaturesOtherBins))
        .isInstanceOf(FormatException.class)
        .hasMessage("cannot merge profiles: feature age has other frozen bins or categories");
  }

  @Test
  void profileSurvivesItsJson() {
    DriftProfile profile = reference();

    DriftProfile read =
        DriftProfile.of(ProfileCodec.parse(ProfileCodec.write(profile.features()), "ref.json"));

    assertThat(read.numeric("age").binCounts()).containsExactly(profile.numeric("age").binCounts());
    assertThat(read.features()).hasSize(2);
    assertThatThrownBy(
            () -> DriftProfile.of(List.of(profile.feature("age"), profile.feature("age"))))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature age appears twice in the profile");
  }

  @Test
  void rowsGiveTheSameProfileAsColumns() {
    java.util.Random random = new java.util.Random(7);
    double[] age = new double[150];
    String[] country = new String[150];
    List<Map<String, Object>> rows = new java.util.ArrayList<>();
    for (int i = 0; i < age.length; i++) {
      age[i] = i % 10 == 0 ? Double.NaN : 20 + random.nextInt(50);
      country[i] = i % 7 == 0 ? null : "c" + random.nextInt(3);
      Map<String, Object> row = new java.util.HashMap<>();
      row.put("age", age[i]);
      row.put("country", country[i]);
      row.put("ignored", Boolean.TRUE);
      rows.add(row);
    }

    DriftProfile fromRows =
        DriftProfile.builder()
            .bins(5)
            .exactLimit(1_000)
            .maxCategories(10)
            .buildFromRows(rows, List.of("age"), List.of("country"));
    DriftProfile fromColumns =
        DriftProfile.builder()
            .bins(5)
            .exactLimit(1_000)
            .maxCategories(10)
            .numeric("age", age)
            .categorical("country", country)
            .build();

    assertThat(new String(ProfileCodec.write(fromRows.features()), StandardCharsets.UTF_8))
        .isEqualTo(new String(ProfileCodec.write(fromColumns.features()), StandardCharsets.UTF_8));
    // Past the exact limit the bins come from the first pass's sketch.
    DriftProfile sketched =
        DriftProfile.builder()
            .bins(5)
            .exactLimit(20)
            .maxCategories(10)
            .buildFromRows(rows, List.of("age"), List.of("country"));
    assertThat(sketched.numeric("age").hasExactValues()).isFalse();
    assertThat(sketched.numeric("age").count()).isEqualTo(135);
  }

  @Test
  void rowWithAValueOfTheWrongKindIsRefused() {
    List<Map<String, Object>> rows =
        List.of(Map.of("age", 30, "country", "de"), Map.of("age", "thirty", "country", "fr"));

    assertThatThrownBy(
            () ->
                DriftProfile.builder()
                    .bins(5)
                    .exactLimit(100)
                    .maxCategories(10)
                    .buildFromRows(rows, List.of("age"), List.of("country")))
        .isInstanceOf(FormatException.class)
        .hasMessage("row 1 column age: expected a number, got String");
  }

  @Test
  void builderRefusesABadSettingNamingIt() {
    DriftProfile.Builder builder = DriftProfile.builder();

    assertThatThrownBy(() -> builder.bins(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bins must be at least 1, got 0");
    assertThatThrownBy(() -> builder.exactLimit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exactLimit must be at least 0, got -1");
    assertThatThrownBy(() -> builder.maxCategories(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCategories must be at least 1, got 0");
  }

  @Test
  void builderRefusesNullsAndRepeatedColumnsWhereTheyAreGiven() {
    DriftProfile.Builder builder = DriftProfile.builder().numeric("age", new double[] {1});

    assertThatThrownBy(() -> builder.numeric(null, new double[] {1}))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("numeric column name");
    assertThatThrownBy(() -> builder.categorical("country", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("values of country");
    assertThatThrownBy(() -> builder.categorical("age", new String[] {"a"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("column age is added twice");
    assertThatThrownBy(() -> builder.buildFromRows(List.of(), List.of("age"), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("columns [age] were added; profile them with build(), not from rows");
  }

  @Test
  void featuresComeInTheOrderTheColumnsWereAdded() {
    DriftProfile profile =
        DriftProfile.builder()
            .categorical("country", new String[] {"de"})
            .numeric("age", new double[] {1, 2})
            .build();

    assertThat(profile.names()).containsExactly("country", "age");
    assertThat(profile.features())
        .extracting(f -> f.match(n -> "numeric", c -> "categorical"))
        .containsExactly("categorical", "numeric");
  }

  @Test
  void typedAccessorsRefuseTheOtherKind() {
    DriftProfile profile = reference();

    assertThat(profile.numeric("age").name()).isEqualTo("age");
    assertThatThrownBy(() -> profile.numeric("country"))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature country is categorical, not numeric");
    assertThatThrownBy(() -> profile.categorical("age"))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature age is numeric, not categorical");
  }

  @Test
  void aColumnPastTheExactLimitKeepsTheSketchItsBinsCameFrom() {
    double[] values = new double[5_000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 100 == 0 ? Double.NaN : i % 101 == 0 ? Double.POSITIVE_INFINITY : i;
    }

    NumericFeature x =
        DriftProfile.builder().exactLimit(100).numeric("x", values).build().numeric("x");

    assertThat(x.hasExactValues()).isFalse();
    assertThat(x.nan()).isEqualTo(50);
    assertThat(x.infinite()).isEqualTo(49);
    assertThat(x.count()).isEqualTo(5_000 - 50 - 49);
    assertThat(java.util.Arrays.stream(x.binCounts()).sum()).isEqualTo(x.count());
    assertThat(x.quantile(0.5)).isCloseTo(2_500, org.assertj.core.api.Assertions.within(100.0));
    assertThat(x.bins().edges()[0]).isEqualTo(1);
  }
}
