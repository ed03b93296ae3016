package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.airgap.core.FormatException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frozen bins and numeric feature profiles: exact counts, exact merges, bounded memory. */
class NumericFeatureTest {
  private static final NumericBins BINS = NumericBins.of(new double[] {0, 1, 2, 3});

  @Test
  void valuesLandInUnderflowInnerAndOverflowBins() {
    assertThat(BINS.count()).isEqualTo(5);
    assertThat(
            Arrays.stream(new double[] {-0.1, 0, 0.5, 1, 2.999, 3, 3.0001})
                .mapToInt(BINS::bin)
                .toArray())
        .containsExactly(0, 1, 1, 2, 3, 3, 4);
  }

  @Test
  void binsAreFrozenFromReferenceQuantilesAndMergeRepeatedEdges() {
    double[] sorted = {1, 2, 2, 2, 2, 2, 2, 3, 4, 10};

    assertThat(NumericBins.fromSortedValues(sorted, 4).edges()).containsExactly(1, 2, 2.75, 10);
    assertThat(NumericBins.fromSortedValues(new double[] {5, 5, 5}, 10).edges())
        .containsExactly(5, Math.nextUp(5.0));
    assertThat(NumericBins.fromSortedValues(new double[] {5, 5, 5}, 10).bin(5)).isEqualTo(1);
    assertThatThrownBy(() -> NumericBins.of(new double[] {1, 1}))
        .isInstanceOf(FormatException.class)
        .hasMessage("bin edge 1 (1.0) is not finite and above the previous edge");
  }

  @Test
  void nanAndInfinitiesAreCountedNeverBinned() {
    NumericFeature feature = new NumericFeature("x", BINS, 100);
    feature.add(Double.NaN);
    feature.add(Double.POSITIVE_INFINITY);
    feature.add(Double.NEGATIVE_INFINITY);
    feature.addMissing();
    feature.add(1.5);

    assertThat(feature.nan()).isEqualTo(1);
    assertThat(feature.infinite()).isEqualTo(2);
    assertThat(feature.missing()).isEqualTo(1);
    assertThat(feature.count()).isEqualTo(1);
    assertThat(feature.binCounts()).containsExactly(0, 0, 1, 0, 0);
  }

  @Test
  void mergeOfPartsEqualsTheWhole() {
    Random random = new Random(5);
    double[] values = random.doubles(20_000).map(v -> v * 4 - 0.5).toArray();
    NumericFeature whole = new NumericFeature("x", BINS, 30_000);
    NumericFeature left = new NumericFeature("x", BINS, 30_000);
    NumericFeature right = new NumericFeature("x", BINS, 30_000);
    for (int i = 0; i < values.length; i++) {
      whole.add(values[i]);
      (i < 7_000 ? left : right).add(values[i]);
    }

    left.merge(right);

    assertThat(left.count()).isEqualTo(whole.count());
    assertThat(left.binCounts()).containsExactly(whole.binCounts());
    assertThat(left.mean()).isCloseTo(whole.mean(), within(1e-12));
    assertThat(left.variance()).isCloseTo(whole.variance(), within(1e-12));
    assertThat(left.min()).isEqualTo(whole.min());
    assertThat(left.max()).isEqualTo(whole.max());
    assertThat(left.exactValues()).containsExactly(whole.exactValues());
    double mean = Arrays.stream(values).average().orElseThrow();
    double variance = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / values.length;
    assertThat(whole.variance()).isCloseTo(variance, within(1e-12));
    assertThat(left.quantile(0.5))
        .isCloseTo(NumericBins.quantile(sorted(values), 0.5), within(0.1));
  }

  @Test
  void exactValuesAreDroppedPastTheLimitAndTheSketchRemains() {
    NumericFeature feature = new NumericFeature("x", BINS, 10);
    for (int i = 0; i < 11; i++) {
      feature.add(i / 4.0);
    }

    assertThat(feature.hasExactValues()).isFalse();
    assertThatThrownBy(feature::exactValues)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("feature x has more than 10 values; only its sketch remains");
    assertThat(feature.sketchBytes()).isNotEmpty();
  }

  @Test
  void mergingDifferentBinsIsRefusedAndNothingIsMerged() {
    NumericFeature a = new NumericFeature("x", BINS, 10);
    a.add(1);
    NumericFeature b = new NumericFeature("x", NumericBins.of(new double[] {0, 5}), 10);
    b.add(2);

    assertThatThrownBy(() -> a.merge(b))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "cannot merge numeric feature x NumericBins[0.0, 5.0] into x NumericBins[0.0, 1.0, 2.0,"
                + " 3.0]: only profiles with the same frozen bins add up");
    assertThat(a.count()).isEqualTo(1);
  }

  private static double[] sorted(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }
}
