package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dataset profiles: reference freezing, live copies, merging and the JSON round trip. */
class DriftProfileTest {
  private static DriftProfile reference() {
    Map<String, double[]> numeric = new LinkedHashMap<>();
    numeric.put("age", new double[] {20, 30, 40, 50, 60, Double.NaN});
    Map<String, String[]> categorical = new LinkedHashMap<>();
    categorical.put("country", new String[] {"fr", "de", "de", "it", null});
    return DriftProfile.reference(numeric, categorical, 4, 100, 2);
  }

  @Test
  void namesListTheFeaturesInProfileOrder() {
    assertThat(reference().names()).containsExactly("age", "country");
  }

  @Test
  void referenceFreezesQuantileBinsAndTheMostFrequentCategories() {
    DriftProfile profile = reference();

    NumericFeature age = (NumericFeature) profile.feature("age");
    CategoricalFeature country = (CategoricalFeature) profile.feature("country");
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
    ((NumericFeature) a.feature("age")).add(70);
    ((NumericFeature) b.feature("age")).add(10);
    ((CategoricalFeature) b.feature("country")).add("es");

    a.merge(b);

    assertThat(((NumericFeature) a.feature("age")).binCounts()).containsExactly(1, 0, 0, 0, 0, 1);
    assertThat(((CategoricalFeature) a.feature("country")).counts()).containsExactly(0, 0, 1);
  }

  @Test
  void profilesOfOtherFeaturesOrBinsDoNotMerge() {
    DriftProfile live = reference().newLive();
    Map<String, double[]> other = Map.of("age", new double[] {1, 2, 3});

    assertThatThrownBy(() -> live.merge(DriftProfile.reference(other, Map.of(), 4, 100, 2)))
        .isInstanceOf(FormatException.class)
        .hasMessage("cannot merge profiles of features [age] into [age, country]");
    DriftProfile sameFeaturesOtherBins =
        DriftProfile.reference(
            new LinkedHashMap<>(Map.of("age", new double[] {1, 2, 3})),
            new LinkedHashMap<>(Map.of("country", new String[] {"de", "fr"})),
            4,
            100,
            2);
    assertThatThrownBy(() -> live.merge(sameFeaturesOtherBins))
        .isInstanceOf(FormatException.class)
        .hasMessage("cannot merge profiles: feature age has other frozen bins or categories");
  }

  @Test
  void profileSurvivesItsJson() {
    DriftProfile profile = reference();

    DriftProfile read =
        DriftProfile.of(ProfileCodec.parse(ProfileCodec.write(profile.features()), "ref.json"));

    assertThat(((NumericFeature) read.feature("age")).binCounts())
        .containsExactly(((NumericFeature) profile.feature("age")).binCounts());
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
        DriftProfile.reference(rows, List.of("age"), List.of("country"), 5, 1_000, 10);
    DriftProfile fromColumns =
        DriftProfile.reference(
            new LinkedHashMap<>(Map.of("age", age)),
            new LinkedHashMap<>(Map.of("country", country)),
            5,
            1_000,
            10);

    assertThat(new String(ProfileCodec.write(fromRows.features()), StandardCharsets.UTF_8))
        .isEqualTo(new String(ProfileCodec.write(fromColumns.features()), StandardCharsets.UTF_8));
    // Past the exact limit the bins come from the first pass's sketch.
    DriftProfile sketched =
        DriftProfile.reference(rows, List.of("age"), List.of("country"), 5, 20, 10);
    assertThat(((NumericFeature) sketched.feature("age")).hasExactValues()).isFalse();
    assertThat(((NumericFeature) sketched.feature("age")).count()).isEqualTo(135);
  }

  @Test
  void rowWithAValueOfTheWrongKindIsRefused() {
    List<Map<String, Object>> rows =
        List.of(Map.of("age", 30, "country", "de"), Map.of("age", "thirty", "country", "fr"));

    assertThatThrownBy(
            () -> DriftProfile.reference(rows, List.of("age"), List.of("country"), 5, 100, 10))
        .isInstanceOf(FormatException.class)
        .hasMessage("row 1 column age: expected a number, got String");
  }
}
