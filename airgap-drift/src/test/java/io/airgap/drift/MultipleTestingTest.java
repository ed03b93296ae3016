package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import io.airgap.drift.MultipleTesting.Correction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corrections agree with scipy's false_discovery_control and plain Bonferroni. */
class MultipleTestingTest {
  private static final double[] P = {0.01, 0.04, 0.03, 0.20, 0.005};

  private static FeatureDrift tested(
      String name, DriftMethod method, double statistic, double pvalue, double errorBound) {
    return new FeatureDrift(
        name,
        method,
        statistic,
        pvalue,
        pvalue,
        0.05,
        pvalue < 0.05 ? Verdict.DRIFTED : Verdict.STABLE,
        20_000,
        20_000,
        errorBound == 0,
        errorBound,
        ThresholdSource.DEFAULT);
  }

  @Test
  void benjaminiHochbergMatchesScipy() {
    // scipy.stats.false_discovery_control([0.01, 0.04, 0.03, 0.20, 0.005], method="bh")
    double[] expected = {0.025, 0.05, 0.05, 0.2, 0.025};

    double[] adjusted = MultipleTesting.adjust(P, Correction.BENJAMINI_HOCHBERG);

    for (int i = 0; i < P.length; i++) {
      assertThat(adjusted[i]).isCloseTo(expected[i], within(1e-15));
    }
  }

  @Test
  void bonferroniMultipliesAndCaps() {
    assertThat(MultipleTesting.adjust(P, Correction.BONFERRONI))
        .containsExactly(new double[] {0.05, 0.2, 0.15, 1.0, 0.025}, within(1e-15));
  }

  @Test
  void eachTestKeepsItsOwnPvalueBesideTheAdjustedOne() {
    List<FeatureDrift> features =
        List.of(
            tested("a", DriftMethod.KS, 0.3, 0.01, 0),
            tested("b", DriftMethod.KS, 0.3, 0.04, 0),
            tested("c", DriftMethod.KS, 0.3, 0.03, 0));

    List<FeatureDrift> corrected = MultipleTesting.apply(features, Correction.BENJAMINI_HOCHBERG);

    // scipy.stats.false_discovery_control([0.01, 0.04, 0.03]) = [0.03, 0.04, 0.04]
    assertThat(corrected).extracting(FeatureDrift::pvalue).containsExactly(0.01, 0.04, 0.03);
    assertThat(corrected)
        .extracting(FeatureDrift::adjustedPvalue)
        .containsExactly(0.03, 0.04, 0.04);
    assertThat(corrected).extracting(FeatureDrift::drifted).containsExactly(true, true, true);
  }

  @Test
  void correctionsAreNamedAsOnTheCommandLine() {
    assertThat(Correction.BENJAMINI_HOCHBERG.label()).isEqualTo("benjamini-hochberg");
    assertThat(Correction.fromLabel("Benjamini_Hochberg")).isEqualTo(Correction.BENJAMINI_HOCHBERG);
    assertThat(Correction.fromLabel("none")).isEqualTo(Correction.NONE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Correction.fromLabel("holm"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown correction 'holm'; known: none, bonferroni, benjamini-hochberg");
  }

  @Test
  void onlyTestedFeaturesAreRedecided() {
    List<FeatureDrift> features =
        List.of(
            tested("a", DriftMethod.KS, 0.3, 0.02, 0),
            tested("b", DriftMethod.CHI_SQUARE, 4.0, 0.03, 0),
            new FeatureDrift(
                "c",
                DriftMethod.WASSERSTEIN_NORMED,
                0.2,
                Double.NaN,
                Double.NaN,
                0.1,
                Verdict.DRIFTED,
                5000,
                5000,
                true,
                0,
                ThresholdSource.DEFAULT));

    List<FeatureDrift> corrected = MultipleTesting.apply(features, Correction.BONFERRONI);

    assertThat(corrected.get(0).adjustedPvalue()).isCloseTo(0.04, within(1e-15));
    assertThat(corrected.get(0).drifted()).isTrue();
    assertThat(corrected.get(1).adjustedPvalue()).isCloseTo(0.06, within(1e-15));
    assertThat(corrected.get(1).drifted()).isFalse();
    assertThat(corrected.get(2)).isEqualTo(features.get(2));
  }

  @Test
  void aSketchBandIsAdjustedAtBothEnds() {
    // n = m = 20,000: sqrt(nm / (n + m)) = 100, so D = 0.02 +- 0.005 is lambda 1.5 to 2.5:
    // p from Q(2.5) = 7.45e-6 to Q(1.5) = 0.0222.
    FeatureDrift sketch =
        tested(
            "s",
            DriftMethod.KS,
            0.02,
            DriftStatistics.kolmogorovPvalue(0.02, 20_000, 20_000),
            0.005);
    List<FeatureDrift> features =
        List.of(
            sketch,
            tested("a", DriftMethod.KS, 0.3, 0.5, 0),
            tested("b", DriftMethod.Z, 1, 0.6, 0));

    assertThat(MultipleTesting.apply(features, Correction.NONE).get(0).verdict())
        .isEqualTo(Verdict.DRIFTED);
    FeatureDrift bonferroni = MultipleTesting.apply(features, Correction.BONFERRONI).get(0);
    assertThat(bonferroni.verdict()).isEqualTo(Verdict.UNDECIDED);
    assertThat(bonferroni.adjustedPvalue()).isCloseTo(3 * sketch.pvalue(), within(1e-15));
    assertThat(bonferroni.pvalue()).isEqualTo(sketch.pvalue());
  }
}
