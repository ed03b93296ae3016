package io.airgap.core.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.airgap.core.drift.MultipleTesting.Correction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Corrections agree with scipy's false_discovery_control and plain Bonferroni. */
class MultipleTestingTest {
  private static final double[] P = {0.01, 0.04, 0.03, 0.20, 0.005};

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
  void onlyTestedFeaturesAreRedecided() {
    List<FeatureDrift> features =
        List.of(
            new FeatureDrift("a", "ks", 0.3, 0.02, 0.05, true, 100, 100, true),
            new FeatureDrift("b", "chisquare", 4.0, 0.03, 0.05, true, 100, 100, true),
            new FeatureDrift(
                "c", "wasserstein_normed", 0.2, Double.NaN, 0.1, true, 5000, 5000, true));

    List<FeatureDrift> corrected = MultipleTesting.apply(features, Correction.BONFERRONI);

    assertThat(corrected.get(0).pvalue()).isCloseTo(0.04, within(1e-15));
    assertThat(corrected.get(0).drifted()).isTrue();
    assertThat(corrected.get(1).pvalue()).isCloseTo(0.06, within(1e-15));
    assertThat(corrected.get(1).drifted()).isFalse();
    assertThat(corrected.get(2)).isEqualTo(features.get(2));
  }
}
