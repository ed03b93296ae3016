package io.airgap.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Corrections for testing many features at once: without one, twenty features at p < 0.05 drift by
 * chance about two times in three. Stateless and thread-safe.
 */
public final class MultipleTesting {
  /** How p-values of several features are adjusted before they are compared with the threshold. */
  public enum Correction {
    /** No adjustment. */
    NONE,
    /** Bonferroni: p times the number of tests (family-wise error rate). */
    BONFERRONI,
    /** Benjamini-Hochberg step-up (false discovery rate), as scipy's false_discovery_control. */
    BENJAMINI_HOCHBERG
  }

  private MultipleTesting() {}

  /** Adjusted p-values, in the order given, each at most 1. */
  public static double[] adjust(double[] pvalues, Correction correction) {
    int m = pvalues.length;
    double[] adjusted = new double[m];
    switch (correction) {
      case NONE -> System.arraycopy(pvalues, 0, adjusted, 0, m);
      case BONFERRONI -> {
        for (int i = 0; i < m; i++) {
          adjusted[i] = Math.min(1, pvalues[i] * m);
        }
      }
      case BENJAMINI_HOCHBERG -> {
        Integer[] order = new Integer[m];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> pvalues[i]));
        double running = 1;
        for (int rank = m; rank >= 1; rank--) {
          int i = order[rank - 1];
          running = Math.min(running, pvalues[i] * m / rank);
          adjusted[i] = Math.min(1, running);
        }
      }
    }
    return adjusted;
  }

  /**
   * Re-decides the features that were tested (those with a p-value) with adjusted p-values;
   * distance-based decisions are left as they are. A KS decision made from sketches carries a
   * p-value band (from the statistic's error bound): both ends are adjusted, and the feature drifts
   * only if it drifts at the band's high end, is stable only if it is stable at the low end, and is
   * undecided otherwise. Both corrections are monotone in the p-values, so this is sound.
   */
  public static List<FeatureDrift> apply(List<FeatureDrift> features, Correction correction) {
    List<Integer> tested = new ArrayList<>();
    for (int i = 0; i < features.size(); i++) {
      if (!Double.isNaN(features.get(i).pvalue())) {
        tested.add(i);
      }
    }
    double[] pvalues = new double[tested.size()];
    double[] lowest = new double[tested.size()];
    double[] highest = new double[tested.size()];
    for (int k = 0; k < tested.size(); k++) {
      FeatureDrift f = features.get(tested.get(k));
      pvalues[k] = f.pvalue();
      lowest[k] = f.pvalue();
      highest[k] = f.pvalue();
      if (f.errorBound() > 0 && f.method() == DriftMethod.KS) {
        lowest[k] = ksPvalue(f, Math.min(1, f.statistic() + f.errorBound()));
        highest[k] = ksPvalue(f, Math.max(0, f.statistic() - f.errorBound()));
      }
    }
    double[] adjusted = adjust(pvalues, correction);
    double[] adjustedLowest = adjust(lowest, correction);
    double[] adjustedHighest = adjust(highest, correction);
    List<FeatureDrift> result = new ArrayList<>(features);
    for (int k = 0; k < tested.size(); k++) {
      FeatureDrift f = features.get(tested.get(k));
      result.set(
          tested.get(k),
          f.withPvalue(
              adjusted[k],
              DriftDetector.verdict(adjustedLowest[k], adjustedHighest[k], f.threshold())));
    }
    return result;
  }

  private static double ksPvalue(FeatureDrift f, double statistic) {
    return DriftStatistics.kolmogorovPvalue(statistic, f.referenceCount(), f.currentCount());
  }
}
