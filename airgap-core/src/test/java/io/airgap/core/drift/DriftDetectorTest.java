package io.airgap.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Evidently's default method choice and thresholds, feature by feature and for the dataset. */
class DriftDetectorTest {
  private static double[] normal(Random random, int n, double mean) {
    return random
        .doubles(n)
        .map(
            u ->
                mean
                    + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * random.nextDouble()))
        .toArray();
  }

  private static DriftProfile live(DriftProfile reference, double[] age, String[] kind) {
    DriftProfile live = reference.newLive();
    for (double value : age) {
      ((NumericFeature) live.feature("age")).add(value);
    }
    for (String value : kind) {
      ((CategoricalFeature) live.feature("kind")).add(value);
    }
    return live;
  }

  @Test
  void smallReferenceUsesKsAndChiSquare() {
    Random random = new Random(1);
    double[] refAge = normal(random, 500, 0);
    String[] refKind = random.ints(500, 0, 3).mapToObj(i -> "k" + i).toArray(String[]::new);
    Map<String, double[]> numeric = new LinkedHashMap<>(Map.of("age", refAge));
    Map<String, String[]> categorical = new LinkedHashMap<>(Map.of("kind", refKind));
    DriftProfile reference = DriftProfile.reference(numeric, categorical, 10, 10_000, 100);
    double[] curAge = normal(random, 400, 1.0);
    String[] curKind = random.ints(400, 0, 3).mapToObj(i -> "k" + i).toArray(String[]::new);

    List<FeatureDrift> results = DriftDetector.compare(reference, live(reference, curAge, curKind));

    FeatureDrift age = results.get(0);
    assertThat(age.method()).isEqualTo(DriftMethod.KS);
    assertThat(age.statistic()).isEqualTo(DriftStatistics.ks2Samp(refAge, curAge).statistic());
    assertThat(age.drifted()).isTrue();
    FeatureDrift kind = results.get(1);
    assertThat(kind.method()).isEqualTo(DriftMethod.CHI_SQUARE);
    assertThat(kind.drifted()).isFalse();
    assertThat(DriftDetector.datasetDrifted(results)).isTrue();
  }

  @Test
  void largeReferenceUsesNormedWassersteinAndJensenShannon() {
    Random random = new Random(2);
    double[] refAge = normal(random, 5_000, 0);
    String[] refKind = random.ints(5_000, 0, 3).mapToObj(i -> "k" + i).toArray(String[]::new);
    DriftProfile reference =
        DriftProfile.reference(
            new LinkedHashMap<>(Map.of("age", refAge)),
            new LinkedHashMap<>(Map.of("kind", refKind)),
            10,
            10_000,
            100);
    double[] curAge = normal(random, 5_000, 0.02);

    List<FeatureDrift> results = DriftDetector.compare(reference, live(reference, curAge, refKind));

    assertThat(results.get(0).method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
    assertThat(results.get(0).statistic())
        .isEqualTo(DriftStatistics.normedWasserstein(refAge, curAge));
    assertThat(results.get(0).drifted()).isFalse();
    assertThat(results.get(1).method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
    assertThat(results.get(1).statistic()).isZero();
    assertThat(DriftDetector.datasetDrifted(results)).isFalse();
  }

  @Test
  void binaryCategoryUsesTheZTest() {
    String[] ref = new String[200];
    String[] cur = new String[200];
    for (int i = 0; i < 200; i++) {
      ref[i] = i < 100 ? "yes" : "no";
      cur[i] = i < 150 ? "yes" : "no";
    }
    DriftProfile reference =
        DriftProfile.reference(
            new LinkedHashMap<>(), new LinkedHashMap<>(Map.of("kind", ref)), 10, 100, 10);
    DriftProfile live = reference.newLive();
    for (String value : cur) {
      ((CategoricalFeature) live.feature("kind")).add(value);
    }

    FeatureDrift result = DriftDetector.compare(reference, live).get(0);

    assertThat(result.method()).isEqualTo(DriftMethod.Z);
    // The dictionary is [no, yes] (equal reference counts, then by name); the test is on "no".
    assertThat(result.statistic())
        .isEqualTo(DriftStatistics.twoProportionZ(100, 200, 50, 200).statistic());
    assertThat(result.drifted()).isTrue();
  }

  @Test
  void evidentlyFloorReplacesOnlyEmptyBuckets() {
    long[] counts = {3, 0, 1};

    assertThat(DriftDetector.smoothed(counts, DriftDetector.Smoothing.EVIDENTLY))
        .containsExactly(0.75, 0.0001, 0.25);
    // A smallest proportion at most 0.0001 sets the floor a millionth below it.
    assertThat(DriftDetector.smoothed(new long[] {19_999, 0, 1}, DriftDetector.Smoothing.EVIDENTLY))
        .containsExactly(19_999 / 20_000.0, 0.00005 / 1e6, 0.00005);
    assertThat(DriftDetector.smoothed(counts, DriftDetector.Smoothing.LAPLACE))
        .containsExactly(3.5 / 5.5, 0.5 / 5.5, 1.5 / 5.5);
  }

  @Test
  void emptyCurrentSideIsRefused() {
    DriftProfile reference =
        DriftProfile.reference(
            new LinkedHashMap<>(Map.of("age", new double[] {1, 2, 3})),
            new LinkedHashMap<>(),
            2,
            100,
            10);

    assertThatThrownBy(() -> DriftDetector.compare(reference, reference.newLive()))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature age has no value on the current side; it cannot be compared");
  }
}
