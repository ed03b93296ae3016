package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.airgap.core.FormatException;
import io.airgap.drift.DriftDetector.Smoothing;
import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import java.util.Arrays;
import java.util.List;
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
      live.numeric("age").add(value);
    }
    for (String value : kind) {
      live.categorical("kind").add(value);
    }
    return live;
  }

  @Test
  void smallReferenceUsesKsAndChiSquare() {
    Random random = new Random(1);
    double[] refAge = normal(random, 500, 0);
    String[] refKind = random.ints(500, 0, 3).mapToObj(i -> "k" + i).toArray(String[]::new);
    DriftProfile reference =
        DriftProfile.builder()
            .maxCategories(100)
            .numeric("age", refAge)
            .categorical("kind", refKind)
            .build();
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
        DriftProfile.builder()
            .maxCategories(100)
            .numeric("age", refAge)
            .categorical("kind", refKind)
            .build();
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
        DriftProfile.builder().exactLimit(100).maxCategories(10).categorical("kind", ref).build();
    DriftProfile live = reference.newLive();
    for (String value : cur) {
      live.categorical("kind").add(value);
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

    assertThat(DriftMeasures.smoothed(counts, DriftDetector.Smoothing.EVIDENTLY))
        .containsExactly(0.75, 0.0001, 0.25);
    // A smallest proportion at most 0.0001 sets the floor a millionth below it.
    assertThat(DriftMeasures.smoothed(new long[] {19_999, 0, 1}, DriftDetector.Smoothing.EVIDENTLY))
        .containsExactly(19_999 / 20_000.0, 0.00005 / 1e6, 0.00005);
    assertThat(DriftMeasures.smoothed(counts, DriftDetector.Smoothing.LAPLACE))
        .containsExactly(3.5 / 5.5, 0.5 / 5.5, 1.5 / 5.5);
  }

  @Test
  void emptyCurrentSideIsRefused() {
    DriftProfile reference =
        DriftProfile.builder()
            .bins(2)
            .exactLimit(100)
            .maxCategories(10)
            .numeric("age", new double[] {1, 2, 3})
            .build();

    assertThatThrownBy(() -> DriftDetector.compare(reference, reference.newLive()))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature age has no value on the current side; it cannot be compared");
  }

  private static DriftProfile numericProfile(double[] values, int exactLimit) {
    return DriftProfile.builder()
        .exactLimit(exactLimit)
        .maxCategories(10)
        .numeric("x", values)
        .build();
  }

  private static DriftProfile liveNumeric(DriftProfile reference, double[] values) {
    DriftProfile live = reference.newLive();
    for (double value : values) {
      live.numeric("x").add(value);
    }
    return live;
  }

  @Test
  void numericFeatureWithFewValuesIsComparedPerValue() {
    // 0/1/2 in the reference, 3 appears only in the current data: 4 values on both sides.
    double[] ref = new double[600];
    double[] cur = new double[300];
    for (int i = 0; i < ref.length; i++) {
      ref[i] = i % 3;
    }
    for (int i = 0; i < cur.length; i++) {
      cur[i] = i % 4;
    }
    DriftProfile small = numericProfile(ref, 10_000);

    FeatureDrift chi = DriftDetector.compare(small, liveNumeric(small, cur)).get(0);

    assertThat(chi.method()).isEqualTo(DriftMethod.CHI_SQUARE);
    DriftStatistics.TestResult expected =
        DriftStatistics.chiSquareHomogeneity(
            new long[] {200, 200, 200, 0}, new long[] {75, 75, 75, 75});
    assertThat(chi.statistic()).isEqualTo(expected.statistic());
    assertThat(chi.pvalue()).isEqualTo(expected.pvalue());

    double[] large = new double[3_000];
    for (int i = 0; i < large.length; i++) {
      large[i] = i % 3;
    }
    DriftProfile big = numericProfile(large, 100);
    FeatureDrift js = DriftDetector.compare(big, liveNumeric(big, cur)).get(0);
    assertThat(js.method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
    assertThat(js.statistic())
        .isEqualTo(
            DriftStatistics.jensenShannon(
                DriftMeasures.smoothed(new long[] {1_000, 1_000, 1_000, 0}, Smoothing.LAPLACE),
                DriftMeasures.smoothed(new long[] {75, 75, 75, 75}, Smoothing.LAPLACE),
                false));
  }

  @Test
  void constantBinaryFeatureHasPValueOne() {
    DriftProfile reference = numericProfile(new double[] {7, 7, 7, 7}, 100);

    FeatureDrift z =
        DriftDetector.compare(reference, liveNumeric(reference, new double[] {7, 7})).get(0);

    assertThat(z.method()).isEqualTo(DriftMethod.Z);
    assertThat(z.pvalue()).isEqualTo(1.0);
    assertThat(z.verdict()).isEqualTo(Verdict.STABLE);
  }

  @Test
  void rulesOverrideMethodAndThreshold() {
    Random random = new Random(3);
    double[] ref = normal(random, 2_000, 0);
    DriftProfile reference = numericProfile(ref, 10_000);
    DriftProfile current = liveNumeric(reference, normal(random, 2_000, 0.3));
    DriftOptions options =
        DriftOptions.builder().method("x", DriftMethod.PSI).threshold("x", 0.5).build();

    FeatureDrift psi = DriftDetector.compare(reference, current, options).get(0);

    NumericFeature r = reference.numeric("x");
    NumericFeature c = current.numeric("x");
    assertThat(psi.method()).isEqualTo(DriftMethod.PSI);
    // A bin empty on both sides (here the underflow bin; the shift fills the overflow bin) is
    // left out.
    DriftMeasures.Buckets buckets = DriftMeasures.Buckets.of(r, c);
    assertThat(r.binCounts()[0] + c.binCounts()[0]).isZero();
    assertThat(buckets.size()).isEqualTo(r.binCounts().length - 1);
    assertThat(psi.statistic())
        .isEqualTo(
            DriftStatistics.psi(
                DriftMeasures.smoothed(buckets.reference(), Smoothing.LAPLACE),
                DriftMeasures.smoothed(buckets.current(), Smoothing.LAPLACE)));
    assertThat(psi.threshold()).isEqualTo(0.5);
    assertThat(psi.thresholdSource()).isEqualTo(ThresholdSource.CONFIGURED);
    assertThat(psi.verdict()).isEqualTo(psi.statistic() >= 0.5 ? Verdict.DRIFTED : Verdict.STABLE);
  }

  @Test
  void impossibleRulesAreRefused() {
    String[] kinds = {"a", "b", "c", "a"};
    DriftProfile reference =
        DriftProfile.builder()
            .bins(2)
            .exactLimit(100)
            .maxCategories(10)
            .numeric("x", new double[] {1, 2, 3})
            .categorical("kind", kinds)
            .build();
    DriftProfile current = live2(reference, kinds);

    assertThatThrownBy(
            () ->
                DriftDetector.compare(
                    reference,
                    current,
                    DriftOptions.builder().method("kind", DriftMethod.KS).build()))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature kind is categorical; ks needs a numeric feature");
    assertThatThrownBy(
            () ->
                DriftDetector.compare(
                    reference,
                    current,
                    DriftOptions.builder().method("kind", DriftMethod.Z).build()))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature kind has 3 values; the Z-test compares at most 2");
    assertThatThrownBy(
            () ->
                DriftDetector.compare(
                    reference, current, DriftOptions.builder().threshold("knd", 0.2).build()))
        .isInstanceOf(FormatException.class)
        .hasMessage("a method or threshold is set for feature knd, which the profile lacks");
    assertThatThrownBy(
            () ->
                DriftDetector.compare(
                    reference, current, DriftOptions.builder().threshold("kind", 1.5).build()))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature kind: a p-value threshold must be below 1, not 1.5");
  }

  private static DriftProfile live2(DriftProfile reference, String[] kinds) {
    DriftProfile live = reference.newLive();
    for (double v : new double[] {1, 2, 3}) {
      live.numeric("x").add(v);
    }
    for (String kind : kinds) {
      live.categorical("kind").add(kind);
    }
    return live;
  }

  /** KS between the reference and a current sample whose exact values are kept by the caller. */
  private static FeatureDrift sketchKs(DriftProfile reference, double[] current) {
    FeatureDrift f = DriftDetector.compare(reference, liveNumeric(reference, current)).get(0);
    assertThat(f.method()).isEqualTo(DriftMethod.KS);
    assertThat(f.exact()).isFalse();
    return f;
  }

  @Test
  void sketchKsWidensTheDecisionByTheSketchError() {
    // 300 reference values (kept), 60,000 current ones: past the exact limit only the sketch
    // remains. KLL compaction is randomized, so every case keeps a margin of twice the bound.
    Random random = new Random(4);
    double[] ref = normal(random, 300, 0);
    DriftProfile reference = numericProfile(ref, 10_000);
    double[] base = normal(random, 60_000, 0);
    double critical = criticalD(300, 60_000);
    double bound = ((NumericFeature) liveNumeric(reference, base).feature("x")).cdfError();
    assertThat(bound).isBetween(0.01, 0.02);

    double stableD = DriftStatistics.ks2Samp(ref, base).statistic();
    assertThat(stableD).isLessThan(critical - 2 * bound);
    FeatureDrift stable = sketchKs(reference, base);
    assertThat(stable.errorBound()).isEqualTo(bound);
    assertThat(stable.statistic()).isCloseTo(stableD, within(bound));
    assertThat(stable.verdict()).isEqualTo(Verdict.STABLE);

    double[] shifted = Arrays.stream(base).map(v -> v + 0.5).toArray();
    double driftedD = DriftStatistics.ks2Samp(ref, shifted).statistic();
    assertThat(driftedD).isGreaterThan(critical + 2 * bound);
    FeatureDrift drifted = sketchKs(reference, shifted);
    assertThat(drifted.statistic()).isCloseTo(driftedD, within(bound));
    assertThat(drifted.verdict()).isEqualTo(Verdict.DRIFTED);

    // A shift whose exact statistic sits on the critical value cannot be decided from a sketch.
    double shift = shiftReaching(ref, base, critical);
    double[] borderline = Arrays.stream(base).map(v -> v + shift).toArray();
    assertThat(DriftStatistics.ks2Samp(ref, borderline).statistic())
        .isCloseTo(critical, within(bound / 4));
    FeatureDrift undecided = sketchKs(reference, borderline);
    assertThat(undecided.verdict()).isEqualTo(Verdict.UNDECIDED);
    assertThat(undecided.pvalue())
        .isEqualTo(DriftStatistics.kolmogorovPvalue(undecided.statistic(), 300, 60_000));
  }

  /** The KS statistic at which the asymptotic p-value crosses 0.05. */
  private static double criticalD(long n, long m) {
    double low = 0;
    double high = 1;
    for (int i = 0; i < 60; i++) {
      double mid = (low + high) / 2;
      if (DriftStatistics.kolmogorovPvalue(mid, n, m) < 0.05) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return high;
  }

  /** The smallest shift (by bisection) that lifts the exact KS statistic to {@code target}. */
  private static double shiftReaching(double[] ref, double[] current, double target) {
    double low = 0;
    double high = 1;
    for (int i = 0; i < 25; i++) {
      double mid = (low + high) / 2;
      double[] moved = Arrays.stream(current).map(v -> v + mid).toArray();
      if (DriftStatistics.ks2Samp(ref, moved).statistic() < target) {
        low = mid;
      } else {
        high = mid;
      }
    }
    return high;
  }

  @Test
  void kolmogorovSurvivalMatchesKnownValues() {
    // Q(x) = 2 sum (-1)^(k-1) exp(-2 k^2 x^2); both series agree where they switch (x = 1).
    assertThat(DriftStatistics.kolmogorovSurvival(1.3581)).isCloseTo(0.05, within(1e-5));
    assertThat(DriftStatistics.kolmogorovSurvival(1.6276)).isCloseTo(0.01, within(1e-5));
    assertThat(DriftStatistics.kolmogorovSurvival(0.5)).isCloseTo(0.963945, within(1e-6));
    assertThat(DriftStatistics.kolmogorovSurvival(1 - 1e-12))
        .isCloseTo(DriftStatistics.kolmogorovSurvival(1), within(1e-11));
    assertThat(DriftStatistics.kolmogorovSurvival(0)).isEqualTo(1.0);
  }

  @Test
  void aFeatureOnOneSideOnlyIsRefused() {
    DriftProfile both =
        DriftProfile.builder()
            .bins(2)
            .exactLimit(100)
            .maxCategories(10)
            .numeric("x", new double[] {1, 2, 3})
            .categorical("kind", new String[] {"a", "b"})
            .build();
    DriftProfile onlyX = numericProfile(new double[] {1, 2, 3}, 100);

    assertThatThrownBy(() -> DriftDetector.compare(onlyX, both))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature kind is in the current profile only, not in the reference");
    assertThatThrownBy(() -> DriftDetector.compare(both, liveNumeric(onlyX, new double[] {2, 3})))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature kind is in the reference only, not in the current profile");
  }
}
