package io.airgap.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Corrections for testing many features at once: without one, twenty features at {@code p < 0.05}
 * drift by chance about two times in three. Stateless and thread-safe.
 */
public final class MultipleTesting {
  /** How p-values of several features are adjusted before they are compared with the threshold. */
  public enum Correction {
    /** No adjustment. */
    NONE("none"),
    /** Bonferroni: p times the number of tests (family-wise error rate). */
    BONFERRONI("bonferroni"),
    /** Benjamini-Hochberg step-up (false discovery rate), as scipy's false_discovery_control. */
    BENJAMINI_HOCHBERG("benjamini-hochberg");

    private final String label;

    Correction(String label) {
      this.label = label;
    }

    /**
     * The name used in reports, JSON, audit entries and on the command line, for example {@code
     * benjamini-hochberg}.
     */
    public String label() {
      return label;
    }

    /**
     * The correction with the given label (case and {@code _} for {@code -} tolerated).
     *
     * @throws IllegalArgumentException listing the known labels
     */
    public static Correction fromLabel(String label) {
      String wanted = label.toLowerCase(Locale.ROOT).replace('_', '-');
      for (Correction correction : values()) {
        if (correction.label.equals(wanted)) {
          return correction;
        }
      }
      throw new IllegalArgumentException(
          "unknown correction '"
              + label
              + "'; known: "
              + Arrays.stream(values()).map(Correction::label).collect(Collectors.joining(", ")));
    }
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
   * Re-decides the features that were tested (those with a p-value) with adjusted p-values, which
   * go into {@link FeatureDrift#adjustedPvalue()}; each test's own p-value is kept. Distance-based
   * decisions are left as they are. A decision made from sketches carries a p-value band (from the
   * statistic's error bound): both ends are adjusted, and the feature drifts only if it drifts at
   * the band's high end, is stable only if it is stable at the low end, and is undecided otherwise.
   * Both corrections are monotone in the p-values, so this is sound.
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
      if (f.errorBound() > 0) {
        double[] band =
            f.method()
                .pvalueBand(f.statistic(), f.errorBound(), f.referenceCount(), f.currentCount());
        lowest[k] = band[0];
        highest[k] = band[1];
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
          f.withAdjustedPvalue(
              adjusted[k],
              DriftDetector.verdict(adjustedLowest[k], adjustedHighest[k], f.threshold())));
    }
    return result;
  }
}
